"""``djpk-dbt``: the dbt executable Dagster's dbt resource runs (its public ``dbt_executable`` setting).

It is dbt-core's own command line (``dbt.cli.main:cli``, what the ``dbt`` script runs) with two additions:

- ``djpk-dbt --version`` answers from the installed package's metadata. dagster-dbt asks ``<executable>
  --version`` once per run step to learn which dbt it drives, and dbt's own ``--version`` imports the whole CLI
  (about 1.7 s here) on every month. The version printed is the one installed beside this Python, which is
  the dbt every other argument runs.
- Under the profile's ``pipeline`` target (``dbt_project.PIPELINE_TARGET``), whose warehouse is the relative
  path ``warehouse.duckdb``, dbt works inside the data dir whose dbt target folder dagster-dbt names in
  ``DBT_TARGET_PATH`` (``settings.DataPaths.of_dbt_target``). The project and profiles are found through
  ``DBT_PROJECT_DIR`` and ``DBT_PROFILES_DIR``, which dagster-dbt sets as absolute paths. A command of that
  target that opens the warehouse without a data dir's target folder is refused (``dbt parse``, which opens no
  warehouse, runs where it is: ``djpk prepare``).
- When ``djpk materialize`` started a dbt worker for its run (``DJPK_DBT_WORKER``, ``dbt_worker.py``: a process
  that has imported dbt already), the command runs there, in this process's streams, environment and working
  directory; otherwise, and for every later command of the run, here.

Importing this module imports nothing of Dagster (only ``dagster_project.settings``, plain paths, and ``dbt_worker``).
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import version

from .dbt_worker import run_in_worker, worker_socket
from .process_exit import exit_without_teardown

PIPELINE_TARGET = "pipeline"
"""The profile output Dagster's dbt runs use (``dbt/profiles.yml``)."""
COMMANDS_WITHOUT_WAREHOUSE = frozenset({"parse", "deps", "clean", "debug", "list", "ls"})


def _option(argv: list[str], name: str) -> str | None:
    for index, argument in enumerate(argv):
        if argument == name and index + 1 < len(argv):
            return argv[index + 1]
        if argument.startswith(name + "="):
            return argument.split("=", 1)[1]
    return None


def _command(argv: list[str]) -> str | None:
    return next((argument for argument in argv if not argument.startswith("-")), None)


def pipeline_working_dir(argv: list[str], environ) -> str | None:
    """Where dbt must work for these arguments: the data dir of ``DBT_TARGET_PATH`` under the pipeline target,
    else None (stay where dagster-dbt started it). Raises ``SystemExit`` for a pipeline command that would open
    ``warehouse.duckdb`` outside a data dir."""
    from .settings import DataPaths

    if (_option(argv, "--target") or environ.get("DBT_TARGET")) != PIPELINE_TARGET:
        return None
    paths = DataPaths.of_dbt_target(environ.get("DBT_TARGET_PATH", ""))
    if paths is not None:
        return str(paths.root)
    if _command(argv) in COMMANDS_WITHOUT_WAREHOUSE:
        return None
    raise SystemExit(
        f"djpk-dbt: the {PIPELINE_TARGET!r} target opens the warehouse of a data dir: DBT_TARGET_PATH must be "
        f"that data dir's dbt target folder (got {environ.get('DBT_TARGET_PATH')!r}); by hand, use the 'local' target"
    )


def main() -> int:
    argv = sys.argv[1:]
    if argv == ["--version"]:
        print(f"Core:\n  - installed: {version('dbt-core')}\n\nPlugins:\n  - duckdb: {version('dbt-duckdb')}")
        return 0
    worker = worker_socket()
    if worker is not None:  # a dbt worker started for this run (dbt_worker.py) takes the command
        status = run_in_worker(worker, argv)
        if status is not None:
            return status
    working_dir = pipeline_working_dir(argv, os.environ)
    if working_dir is not None:
        os.chdir(working_dir)
    from dbt.cli.main import cli

    return cli(prog_name="dbt")  # dbt's own entry point: reads sys.argv and exits with dbt's status


def status_of_main() -> int:
    """:func:`main`'s exit status (dbt's command line always ends with ``SystemExit``); a refusal's message is
    printed to stderr with status 1, as Python prints an uncaught one."""
    try:
        status = main()
    except SystemExit as finished:
        if not isinstance(finished.code, int | None):  # a message instead of a status (this wrapper's refusal)
            print(finished.code, file=sys.stderr)
            return 1
        status = finished.code
    return int(status or 0)


def command() -> None:
    """The ``djpk-dbt`` command (pyproject's script): dbt's status, without the interpreter's teardown."""
    exit_without_teardown(status_of_main())  # the exit handlers first: dbt-duckdb closes the warehouse there


if __name__ == "__main__":
    command()
