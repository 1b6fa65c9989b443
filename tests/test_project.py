"""The project's own promises: dependency lists agree, schemas documented, CI calls make test."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from helpers import schemas
from helpers.paths import PROJ_ROOT


def _norm(name: str) -> str:
    return re.split(r"[<>=!~\[ ]", name.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    deps = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda
    conda_pkgs = {_norm(d) for d in conda if not d.startswith(("python=", "pip"))}
    assert conda_pkgs == {_norm(d) for d in deps}
    pip_part = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert "-e ." in pip_part


def test_every_dependency_is_pinned_in_the_lock():
    deps = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    locked = {_norm(line) for line in (PROJ_ROOT / "requirements.lock").read_text().splitlines()
              if line and not line.startswith("#")}
    missing = {_norm(d) for d in deps} - locked
    assert not missing, f"not pinned in requirements.lock: {missing}"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (PROJ_ROOT / ".ci" / "run").read_text()
    readme = (PROJ_ROOT / "README.md").read_text()
    assert "make test" in readme and "make report" in readme


def test_data_dictionary_is_generated_from_schemas():
    doc = (PROJ_ROOT / "docs" / "data-dictionary.md").read_text()
    assert doc.strip() == schemas.data_dictionary_markdown().strip(), \
        "docs/data-dictionary.md is stale: run `python -m helpers schema-docs`"


def test_conform_rejects_bad_values():
    import pandera.errors
    import pytest

    with pytest.raises(pandera.errors.SchemaErrors):
        schemas.conform([{"source_path": "a", "severity": "fatal", "message": "x"}], "problems")


def test_the_code_passes_lint():
    """`make lint` (ruff: undefined names, unused imports and variables, syntax errors) finds nothing."""
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests", "bench"],
                         cwd=PROJ_ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
