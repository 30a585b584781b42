"""The JSON API (``/api/v1/``): a thin layer over the same services and selectors as the web, with per-user tokens."""
