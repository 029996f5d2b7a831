"""The commands end without the interpreter's teardown, and only that is skipped (dagster_project/process_exit.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from djpk_runner import REPO_ROOT, run_djpk


def _python(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python <arguments>`` from the repository root (``-c CODE`` or ``-m MODULE …``)."""
    return subprocess.run(
        [sys.executable, *arguments], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


AFTER_IMPORT = textwrap.dedent("""
    import atexit, tempfile
    import dagster_project
    from dagster_project.process_exit import exit_without_teardown

    folder = tempfile.TemporaryDirectory(prefix="djpk-exit-test-")  # removed by an exit handler
    print("folder", folder.name)
    atexit.register(lambda: print("handler ran"))

    class Teardown:
        def __del__(self):
            print("teardown ran")

    kept = Teardown()  # a module global: freed only by the interpreter's teardown
    print("buffered output")  # stdout is a pipe here: block-buffered until flushed
""")


def test_a_command_status_passes_after_every_exit_handler_without_the_teardown():
    completed = _python("-c", AFTER_IMPORT + "exit_without_teardown(3)\n")
    assert completed.returncode == 3, completed.stderr
    lines = completed.stdout.splitlines()
    assert "buffered output" in lines and "handler ran" in lines  # flushed, and handlers run
    assert "teardown ran" not in lines  # the interpreter's teardown is what is skipped
    folder = next(line.split(" ", 1)[1] for line in lines if line.startswith("folder "))
    assert not Path(folder).exists()  # a temporary directory's own exit handler removed it


def test_without_a_status_the_process_ends_as_python_ends_it():
    imported_only = _python("-c", AFTER_IMPORT)  # a test process, say: it only imports the package
    assert imported_only.returncode == 0
    assert {"handler ran", "teardown ran"} <= set(imported_only.stdout.splitlines())
    failed = _python("-c", AFTER_IMPORT + "raise RuntimeError('broken command')\n")  # no status: a traceback, status 1
    assert failed.returncode == 1
    assert "RuntimeError: broken command" in failed.stderr


def test_the_commands_statuses_and_messages_are_unchanged(tmp_path):
    outside = run_djpk("materialize", "--month", "2099-01", data_dir=tmp_path, check=False)
    assert outside.returncode == 2
    assert "is outside the report months" in outside.stderr
    version = _python("-m", "dagster_project.dbt_cli", "--version")
    assert version.returncode == 0 and "installed:" in version.stdout
    refused = _python(  # the wrapper's refusal is a message, not a status: Python prints it, status 1
        "-m",
        "dagster_project.dbt_cli",
        "build",
        "--target",
        "pipeline",
        env={"PATH": "/usr/bin:/bin", "DBT_TARGET_PATH": str(tmp_path / "elsewhere")},
    )
    assert refused.returncode == 1
    assert "the 'pipeline' target opens the warehouse of a data dir" in refused.stderr
