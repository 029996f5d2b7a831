"""``djpk-dbt``: the dbt executable Dagster's dbt resource runs (its public ``dbt_executable`` setting).

It is dbt-core's own command line (``dbt.cli.main:cli``, what the ``dbt`` script runs) with one shortcut:
``djpk-dbt --version`` answers from the installed package's metadata. dagster-dbt asks ``<executable>
--version`` once per run step to learn which dbt it drives, and dbt's own ``--version`` imports the whole CLI
(about 1.7 s here) on every month. The version printed is the one installed beside this Python, which is
the dbt every other argument runs. Importing this module imports nothing of Dagster or of this project.
"""

from __future__ import annotations

import sys
from importlib.metadata import version


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        print(f"Core:\n  - installed: {version('dbt-core')}\n\nPlugins:\n  - duckdb: {version('dbt-duckdb')}")
        return 0
    from dbt.cli.main import cli

    return cli(prog_name="dbt")  # dbt's own entry point: reads sys.argv and exits with dbt's status


if __name__ == "__main__":
    sys.exit(main())
