"""The one cached dbt project. Importing this module never runs dbt, except under ``dagster dev``.

The manifest is prepared explicitly: by ``djpk`` (``ensure_dbt_manifest``) before it loads the
definitions, by the test session, or by ``dagster dev``: ``prepare_if_dev()`` below parses the project
only when ``dagster dev`` loads the code (as dagster-open-platform does), so ``./dev ui`` always shows the
current models.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from .settings import DBT_PROJECT_DIR

# dagster-dbt runs the `dbt` executable: make the one installed beside this Python findable
# (a venv's bin folder is not on PATH unless the venv is activated).
_python_bin = str(Path(sys.executable).parent)
if _python_bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _python_bin + os.pathsep + os.environ.get("PATH", "")

DBT_EXECUTABLE = str(Path(_python_bin) / "djpk-dbt")
"""dbt's own CLI, installed beside this Python, with ``--version`` answered from the package metadata
(:mod:`dagster_project.dbt_cli`): dagster-dbt asks it at every run step."""

djpk_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

djpk_dbt_project.prepare_if_dev()

_FINGERPRINT_FILE = "djpk_sources.sha256"


def _dbt_sources_fingerprint() -> str:
    digest = hashlib.sha256()
    for folder in ("models", "macros", "seeds", "tests"):
        for path in sorted((DBT_PROJECT_DIR / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode())
                digest.update(path.read_bytes())
    for name in ("dbt_project.yml", "profiles.yml"):
        digest.update((DBT_PROJECT_DIR / name).read_bytes())
    return digest.hexdigest()


def ensure_dbt_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than its sources."""
    fingerprint_path = Path(djpk_dbt_project.project_dir) / djpk_dbt_project.target_path / _FINGERPRINT_FILE
    current = _dbt_sources_fingerprint()
    manifest = djpk_dbt_project.manifest_path
    if not manifest.exists() or not fingerprint_path.exists() or fingerprint_path.read_text() != current:
        djpk_dbt_project.preparer.prepare(djpk_dbt_project)
        fingerprint_path.write_text(current)
    return manifest
