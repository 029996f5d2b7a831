"""The one cached dbt project. Importing this module never runs dbt, except under ``dagster dev``.

The manifest is prepared explicitly: by ``djpk`` (``ensure_dbt_manifest``) before it loads the
definitions, by the test session, or by ``dagster dev``: at the end of this module, when ``dagster dev``
loads the code (dagster-dbt's ``prepare_if_dev``, as dagster-open-platform does), so ``./dev ui`` always
shows the current models.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject, DbtProjectPreparer

from .dbt_cli import PIPELINE_TARGET
from .settings import DBT_PROJECT_DIR

DBT_EXECUTABLE = str(Path(sys.executable).parent / "djpk-dbt")
"""dbt's own CLI, installed beside this Python, with ``--version`` answered from the package metadata
(:mod:`dagster_project.dbt_cli`): dagster-dbt asks it at every run step. Named by its full path, so dbt is
found whether or not the venv is activated."""


djpk_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

PIPELINE_VARS = {"djpk_run_months_recorded": True}
"""The ``--vars`` of every dbt invocation of the pipeline, the manifest's parse included: dbt re-parses the
whole project when its command-line vars (or the profile's rendered values) differ from the parse it kept, so
they are constant, and the warehouse is the ``pipeline`` target's relative path (``dbt/profiles.yml``) instead
of a var naming the data dir. ``djpk_run_months_recorded``: the Dagster dbt asset has written the run's months
(``defs/dbt/run_months.py``)."""


def pipeline_dbt_resource() -> DbtCliResource:
    """dbt as the pipeline runs it: :data:`DBT_EXECUTABLE` under the profile's ``pipeline`` target."""
    return DbtCliResource(project_dir=djpk_dbt_project, dbt_executable=DBT_EXECUTABLE, target=PIPELINE_TARGET)


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
    digest.update(f"{PIPELINE_TARGET} {json.dumps(PIPELINE_VARS, sort_keys=True)}".encode())  # how it is parsed
    return digest.hexdigest()


def _parse() -> None:
    """``dbt parse`` as the pipeline's runs invoke dbt (:func:`pipeline_dbt_resource`, :data:`PIPELINE_VARS`), so
    that its partial-parse state, which dagster-dbt copies into a data dir's target folder on its first run,
    holds there (dagster-dbt's own preparer runs ``dbt`` from ``PATH`` without them)."""
    pipeline_dbt_resource().cli(
        ["parse", "--quiet", "--vars", json.dumps(PIPELINE_VARS)], target_path=djpk_dbt_project.target_path
    ).wait()


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
