"""Architecture rules, checked rather than hoped for: the import-linter contracts of pyproject.toml
([tool.importlinter]) keep the SLA kernel free of Django and of the rest of servicepact, domain code free
of views, API and URL modules, and the access layer free of models. The test fails with lint-imports'
own report."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lint_imports() -> list[str]:
    beside_python = Path(sys.executable).parent / "lint-imports"
    found = str(beside_python) if beside_python.exists() else shutil.which("lint-imports")
    assert found, "lint-imports is not installed: pip install -e '.[test]'"
    return [found, "--no-cache"]


def test_import_linter_contracts_are_kept():
    result = subprocess.run(lint_imports(), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
