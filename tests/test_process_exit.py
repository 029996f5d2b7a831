"""The commands end without the interpreter's teardown, and only that is skipped (dagster_project/process_exit.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from djpk_runner import REPO_ROOT


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


AFTER_IMPORT = textwrap.dedent("""
    import atexit, tempfile, pathlib
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
    completed = _python(AFTER_IMPORT + "exit_without_teardown(3)\n")
    assert completed.returncode == 3, completed.stderr
    lines = completed.stdout.splitlines()
    assert "buffered output" in lines and "handler ran" in lines  # flushed, and handlers run
    assert "teardown ran" not in lines  # the interpreter's teardown is what is skipped
    folder = next(line.split(" ", 1)[1] for line in lines if line.startswith("folder "))
    assert not (REPO_ROOT / folder).exists()  # a temporary directory's own exit handler removed it


def test_without_a_status_the_process_ends_as_python_ends_it():
    imported_only = _python(AFTER_IMPORT)  # a test process, say: it only imports the package
    assert imported_only.returncode == 0
    assert {"handler ran", "teardown ran"} <= set(imported_only.stdout.splitlines())
    failed = _python(AFTER_IMPORT + "raise RuntimeError('broken command')\n")  # no status: a traceback, status 1
    assert failed.returncode == 1
    assert "RuntimeError: broken command" in failed.stderr


def test_the_commands_statuses_and_messages_are_unchanged(tmp_path):
    outside = subprocess.run(
        [sys.executable, "-m", "dagster_project.cli", "materialize", "--month", "2099-01", "--data-dir", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert outside.returncode == 2
    assert "is outside the report months" in outside.stderr
    version = subprocess.run(
        [sys.executable, "-m", "dagster_project.dbt_cli", "--version"], capture_output=True, text=True, timeout=60
    )
    assert version.returncode == 0 and "installed:" in version.stdout
    refused = subprocess.run(  # the wrapper's refusal is a message, not a status: Python prints it, status 1
        [sys.executable, "-m", "dagster_project.dbt_cli", "build", "--target", "pipeline"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "DBT_TARGET_PATH": str(tmp_path / "elsewhere")},
    )
    assert refused.returncode == 1
    assert "the 'pipeline' target opens the warehouse of a data dir" in refused.stderr
