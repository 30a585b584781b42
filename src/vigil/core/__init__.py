"""Pure-Python core of vigil: no Django here (checked by import-linter)."""
