"""Finding a month's export in the landing folder.

Layout: ``landing/<source>/<YYYY-MM>/<file>``. A corrected re-export is dropped beside the old
file (for example ``tickets (1).csv`` or ``tickets_2024-03-05.csv``); the newest file matching the
contract's pattern (by modification time, then name) is the one loaded. Older files stay on disk
untouched: the pipeline only ever reads the landing folder.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .contracts import ExportContract


class ExportError(Exception):
    """A landed export that cannot be loaded; the message names file, row, column and rule."""


@dataclass(frozen=True)
class LandedFile:
    path: Path
    sha256: str
    superseded: tuple[Path, ...]
    """Older files for the same source and month, kept on disk but not loaded."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def month_folder(landing_root: Path, contract: ExportContract, month: str) -> Path:
    return landing_root / contract.landing_folder / month


def find_export(landing_root: Path, contract: ExportContract, month: str) -> LandedFile:
    """The export to load for a source and month, or an error saying what was looked for."""
    folder = month_folder(landing_root, contract, month)
    candidates = sorted(
        (path for path in folder.glob(contract.file_pattern) if path.is_file()),
        key=lambda path: (path.stat().st_mtime_ns, path.name),
    )
    if not candidates:
        raise ExportError(
            f"missing export for source '{contract.source}' month {month}: "
            f"no file matching '{contract.file_pattern}' in {folder}"
        )
    newest = candidates[-1]
    return LandedFile(path=newest, sha256=sha256_file(newest), superseded=tuple(candidates[:-1]))


def is_landed(landing_root: Path, contract: ExportContract, month: str) -> bool:
    """Whether a file for the contract's source and month is in the landing folder."""
    return any(path.is_file() for path in month_folder(landing_root, contract, month).glob(contract.file_pattern))
