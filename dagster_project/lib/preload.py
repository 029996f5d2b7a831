"""Modules a later step of the run needs, imported while the Dagster process only waits for dbt.

During the dbt step the Dagster process waits for dbt's own process (10-15 s at real volume, longer at scale),
and one of the two cores is idle. The report's rendering modules (its templates, charts and PDF: matplotlib and
WeasyPrint, about 1 s of imports) are imported then, in a background thread, instead of when the definitions
load (``defs/report/assets.py`` imports them inside the step). A run that does not render (``djpk ingest``)
never imports them. Imports that run beside other Python work only compete for the interpreter lock, so this is
used only around the wait.

The thread is joined before the block ends: no import runs beside another step. An import that fails is left to
the step that needs the module, which imports it again and fails there with its own error.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def importing_in_background(modules: tuple[str, ...]) -> Iterator[None]:
    """Import ``modules`` in a background thread while the block runs; wait for the imports at its end."""
    thread = threading.Thread(target=_import_each, args=(modules,), name="djpk-preload", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


def _import_each(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - reported by the step that needs the module (see the module's doc)
            continue
