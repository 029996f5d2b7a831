"""Finding a month's export in the landing folder.

Layout: ``landing/<source>/<YYYY-MM>/<file>``. A corrected re-export is dropped beside the old
file (for example ``tickets (1).csv`` or ``tickets_2024-03-05.csv``); the newest file matching the
contract's pattern (by modification time, then name) is the one loaded. Older files stay on disk
untouched: the pipeline only ever reads the landing folder.
"""

from __future__ import annotations

import hashlib
import stat
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


def _display(path: Path, landing_root: Path) -> str:
    """``path`` as messages write it: relative to the data dir (the parent of ``landing/``)."""
    try:
        return str(path.relative_to(landing_root.parent))
    except ValueError:
        return str(path)


def _kind_of(path: Path) -> str:
    """What a non-regular file is, in words (``lstat``: a symlink is never followed)."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _refuse_non_regular(paths: list[Path], landing_root: Path) -> None:
    """An error naming every matching path that is not a regular file (checked without following links)."""
    refused = [path for path in paths if not stat.S_ISREG(path.lstat().st_mode)]
    if refused:
        listed = "; ".join(f"{_display(path, landing_root)} is {_kind_of(path)}" for path in refused)
        raise ExportError(
            f"{listed} — rule: landing holds regular files only (no symbolic links, folders or devices); "
            "copy the export itself into the folder"
        )


def _ensure_inside(folder: Path, landing_root: Path) -> None:
    """The month folder (and every folder above it) must not be a link leading out of the data dir."""
    data_dir = landing_root.parent.resolve()
    resolved = folder.resolve()
    if resolved != data_dir and data_dir not in resolved.parents:
        raise ExportError(
            f"{_display(folder, landing_root)} leads outside the data dir (to {resolved}) "
            "— rule: landing holds regular files only, inside the data dir"
        )


def month_folder(landing_root: Path, contract: ExportContract, month: str) -> Path:
    return landing_root / contract.landing_folder / month


def landed_files(landing_root: Path, contract: ExportContract, month: str) -> list[Path]:
    """The files landed for a source and month, oldest first, the one to load last (by modification time,
    then name); an error if there is none or one is not a regular file inside the data dir. Reads no file."""
    folder = month_folder(landing_root, contract, month)
    matching = list(folder.glob(contract.file_pattern))
    if matching:
        _ensure_inside(folder, landing_root)
    _refuse_non_regular(matching, landing_root)
    candidates = sorted(matching, key=lambda path: (path.stat().st_mtime_ns, path.name))
    if not candidates:
        raise ExportError(
            f"missing export for source '{contract.source}' month {month}: "
            f"no file matching '{contract.file_pattern}' in {_display(folder, landing_root)}"
        )
    return candidates


def find_export(landing_root: Path, contract: ExportContract, month: str) -> LandedFile:
    """The export to load for a source and month, with its checksum, or an error saying what was looked for."""
    *superseded, newest = landed_files(landing_root, contract, month)
    return LandedFile(path=newest, sha256=sha256_file(newest), superseded=tuple(superseded))


def is_landed(landing_root: Path, contract: ExportContract, month: str) -> bool:
    """Whether something for the contract's source and month is in the landing folder (a link or other
    non-regular file counts, so that loading it is attempted and refused with a message)."""
    return any(True for _ in month_folder(landing_root, contract, month).glob(contract.file_pattern))
