"""What one stored Dagster event costs on each instance storage the project uses.

    .venv/bin/python benchmarks/pg_event_cost.py [--assets 40] [--repeats 3]

A synthetic job (``--assets`` partitioned assets with 2 checks each, and a multi-asset yielding
``--assets`` materializations) runs ``execute_in_process`` on: the stock SQLite instance (the CLI's local
instance, ``dagster_project/instance.py``), and, when PostgreSQL is installed, a throw-away local cluster (``dagster_project/pg_cluster.py``) with the stock
``dagster-postgres`` event log (a new connection per event) and with the pooled one of
``deploy/dagster.yaml`` (``dagster_project/pg_storage.py``). Prints min/median seconds per run and
milliseconds per event; without PostgreSQL the PostgreSQL rows say they were skipped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

PG_BLOCK = """
run_storage:
  module: dagster_postgres.run_storage
  class: PostgresRunStorage
  config: {{postgres_url: "{url}"}}
event_log_storage:
  module: {module}
  class: {cls}
  config: {{postgres_url: "{url}"}}
schedule_storage:
  module: dagster_postgres.schedule_storage
  class: PostgresScheduleStorage
  config: {{postgres_url: "{url}"}}
telemetry: {{enabled: false}}
"""


def build_job(n_assets: int):
    import dagster as dg

    partitions = dg.StaticPartitionsDefinition(["p1"])
    assets = []
    for index in range(n_assets):

        @dg.asset(
            name=f"a{index}",
            partitions_def=partitions,
            check_specs=[dg.AssetCheckSpec("c1", asset=f"a{index}"), dg.AssetCheckSpec("c2", asset=f"a{index}")],
        )
        def _asset():
            yield dg.MaterializeResult(
                check_results=[
                    dg.AssetCheckResult(check_name="c1", passed=True),
                    dg.AssetCheckResult(check_name="c2", passed=True),
                ]
            )

        assets.append(_asset)

    @dg.multi_asset(specs=[dg.AssetSpec(f"m{index}") for index in range(n_assets)], partitions_def=partitions)
    def many(context):
        for index in range(n_assets):
            yield dg.MaterializeResult(asset_key=f"m{index}")

    defs = dg.Definitions(
        assets=[*assets, many], jobs=[dg.define_asset_job("bench", executor_def=dg.in_process_executor)]
    )
    return defs.resolve_job_def("bench")


def measure(job, instance, repeats: int) -> tuple[list[float], int]:
    seconds, events = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        result = job.execute_in_process(instance=instance, partition_key="p1")
        seconds.append(time.perf_counter() - started)
        events = len(instance.all_logs(result.run_id))
    return seconds, events


def run_case(name: str, yaml_text: str | None, home: Path, job, repeats: int) -> dict:
    from dagster import DagsterInstance

    home.mkdir(parents=True, exist_ok=True)
    if yaml_text is not None:
        (home / "dagster.yaml").write_text(yaml_text)
    with DagsterInstance.from_config(str(home)) as instance:
        seconds, events = measure(job, instance, repeats)
    return {
        "instance": name,
        "min_s": min(seconds),
        "median_s": statistics.median(seconds),
        "events": events,
        "ms_per_event": 1000 * statistics.median(seconds) / events,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assets", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    job = build_job(args.assets)
    work = Path(tempfile.mkdtemp(prefix="djpk-event-cost-"))
    os.chmod(work, 0o711)  # as root the PostgreSQL server runs as another user and must reach its folder
    rows, skipped = [], []
    try:
        rows.append(
            run_case(
                "SQLite, stock (djpk local instance)",
                "telemetry: {enabled: false}\n",
                work / "sqlite",
                job,
                args.repeats,
            )
        )
        from dagster_project.pg_cluster import LocalCluster, PostgresMissing, free_port

        cluster = LocalCluster(work / "pg", free_port())
        try:
            cluster.init()
            cluster.start()
        except (PostgresMissing, RuntimeError) as error:
            skipped.append(f"PostgreSQL skipped: {error}")
        else:
            try:
                for database, label, module, cls in (
                    (
                        "stock",
                        "PostgreSQL, stock (dagster-postgres)",
                        "dagster_postgres.event_log",
                        "PostgresEventLogStorage",
                    ),
                    (
                        "pooled",
                        "PostgreSQL, pooled (deploy/dagster.yaml)",
                        "dagster_project.pg_storage",
                        "PooledPostgresEventLogStorage",
                    ),
                ):
                    cluster.ensure_database(database)
                    rows.append(
                        run_case(
                            label,
                            PG_BLOCK.format(url=cluster.url(database), module=module, cls=cls),
                            work / database,
                            job,
                            args.repeats,
                        )
                    )
            finally:
                cluster.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"\nper-event cost, {args.assets} assets × 2 checks + a {args.assets}-asset multi-asset, "
        f"{args.repeats} runs each (execute_in_process):\n"
    )
    print("| instance | run s (min / median) | events | ms per event |\n|---|--:|--:|--:|")
    for row in rows:
        print(
            f"| {row['instance']} | {row['min_s']:.1f} / {row['median_s']:.1f} | {row['events']} | {row['ms_per_event']:.1f} |"
        )
    for line in skipped:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
