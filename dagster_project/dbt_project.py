"""The one cached dbt project. Importing this module never runs dbt, except under ``dagster dev``.

The manifest is prepared explicitly: by ``djpk`` (``ensure_dbt_manifest``) before it loads the
definitions, by the test session, or by ``dagster dev``: at the end of this module, when ``dagster dev``
loads the code (dagster-dbt's ``prepare_if_dev``, as dagster-open-platform does), so ``./dev ui`` always
shows the current models.
"""

from __future__ import annotations

import fcntl
import hashlib
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject, DbtProjectPreparer

from .settings import DBT_PROJECT_DIR

DBT_EXECUTABLE = str(Path(sys.executable).parent / "djpk-dbt")
"""dbt's own CLI, installed beside this Python, with ``--version`` answered from the package metadata
(:mod:`dagster_project.dbt_cli`): dagster-dbt asks it at every run step. Named by its full path, so dbt is
found whether or not the venv is activated."""


djpk_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

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


def _parse() -> None:
    """``dbt parse`` with :data:`DBT_EXECUTABLE` (dagster-dbt's own preparer runs ``dbt`` from ``PATH``)."""
    dbt = DbtCliResource(project_dir=djpk_dbt_project, dbt_executable=DBT_EXECUTABLE)
    dbt.cli(["parse", "--quiet"], target_path=djpk_dbt_project.target_path).wait()


def ensure_dbt_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than its sources."""
    fingerprint_path = Path(djpk_dbt_project.project_dir) / djpk_dbt_project.target_path / _FINGERPRINT_FILE
    current = _dbt_sources_fingerprint()
    manifest = djpk_dbt_project.manifest_path

    def stale() -> bool:
        return not manifest.exists() or not fingerprint_path.exists() or fingerprint_path.read_text() != current

    if stale():
        fingerprint_path.parent.mkdir(parents=True, exist_ok=True)
        # one parse at a time: two djpk processes (or test workers) finding it stale parse once
        with open(fingerprint_path.with_name("djpk_prepare.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if stale():
                _parse()
                fingerprint_path.write_text(current)
    return manifest


if DbtProjectPreparer().using_dagster_dev():  # dagster-dbt's prepare_if_dev, with this project's dbt
    ensure_dbt_manifest()
