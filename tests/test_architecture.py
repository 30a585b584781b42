import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_never_imports_django():
    """import-linter's contract holds: nothing in vigil.core imports Django or the apps."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_core_is_typed():
    """mypy finds no type errors in vigil.core (its public surface is typed)."""
    mypy = Path(sys.executable).parent / "mypy"
    result = subprocess.run([str(mypy), "src/vigil/core", "--ignore-missing-imports", "--no-incremental"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
