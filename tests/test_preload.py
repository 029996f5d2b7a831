"""The report's rendering modules are not imported when the definitions load, and the dbt step imports them in
the background while it waits for dbt (``lib/preload.py``): the block ends with the imports done, a failing import
is left to the step that needs the module, and no thread outlives the block."""

from __future__ import annotations

import subprocess
import sys
import threading

from dagster_project.defs.report.assets import RENDERING_MODULES
from dagster_project.lib.preload import importing_in_background


def test_loading_the_definitions_imports_no_rendering_module():
    probe = (
        "import sys, dagster_project.definitions; "
        f"print(sorted(name for name in {list(RENDERING_MODULES) + ['matplotlib']!r} if name in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_every_rendering_module_exists_and_imports():
    for name in RENDERING_MODULES:
        __import__(name)


def test_the_block_ends_with_the_imports_done_and_no_thread_left(tmp_path, monkeypatch):
    """The probe module's import waits until the block's body lets it finish: the body runs while the import is
    still going on (it did not wait for it), and the block's end waits for it."""
    (tmp_path / "djpk_probe_gate.py").write_text("import threading\nrelease = threading.Event()\n")
    (tmp_path / "djpk_slow_probe.py").write_text(
        "from djpk_probe_gate import release\nrelease.wait(30)\nLOADED = True\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("djpk_probe_gate", "djpk_slow_probe"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    import djpk_probe_gate

    with importing_in_background(("djpk_slow_probe",)):
        inside = getattr(sys.modules.get("djpk_slow_probe"), "LOADED", False)
        djpk_probe_gate.release.set()
    assert not inside  # the block's body did not wait for the import
    assert sys.modules["djpk_slow_probe"].LOADED
    assert not any(thread.name == "djpk-preload" for thread in threading.enumerate())


def test_a_failing_import_is_left_to_the_step_that_needs_it(tmp_path, monkeypatch):
    (tmp_path / "djpk_broken_probe.py").write_text("raise RuntimeError('broken on purpose')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with importing_in_background(("djpk_broken_probe", "json")):
        pass
    assert "djpk_broken_probe" not in sys.modules
    assert "json" in sys.modules  # the modules after it are still imported
