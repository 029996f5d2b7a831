"""The files of a month's publication: complete versions, one of them current, switched whole.

Layout (``shared/contracts/published.md``)::

    published/<YYYY-MM>/versions/<NNNN>/          every version that became current, never rewritten
    published/<YYYY-MM>/current -> versions/<NNNN>   the current version (a relative symlink)
    published/<YYYY-MM>/report_metrics.csv -> current/report_metrics.csv    (and .parquet, manifest.json,
    published/<YYYY-MM>/laporan-layanan-informasi-<YYYY-MM>.html|pdf ...)  the report: fixed links through ``current``)
    published/<YYYY-MM>/.pending-<NNNN>-<run id>/  a version being written (never read by anyone)

A new version is written completely aside (``.pending-…``: CSV, Parquet and manifest by
``published/report_metrics``, then the HTML and PDF by ``published/report``). Then it is switched
in: (1) one warehouse transaction makes its rows the ``published`` rows and records it in
``publishing.current_versions`` — the commit point —, (2) the folder is renamed into ``versions/``,
(3) ``current`` is replaced by a link to it (one atomic rename). Every file of the month is read
through ``current``, so readers see the old version or the new one, never a mix.

A run that dies before the commit leaves the old publication exactly as it was; its ``.pending-…``
folder never became current and is removed by the next run. A run that dies after the commit (a
window of two renames) leaves the warehouse ahead of the files; the next run's first step,
:func:`recover`, rolls the files forward to the version the warehouse records.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

CURRENT_LINK = "current"
VERSIONS = "versions"
PENDING_PATTERN = re.compile(r"^\.pending-(\d{4})-(.+)$")


@dataclass(frozen=True)
class PendingVersion:
    folder: Path
    number: int
    run_id: str

    @property
    def month_folder(self) -> Path:
        return self.folder.parent


def version_folder(month_folder: Path, number: int) -> Path:
    return month_folder / VERSIONS / f"{number:04d}"


def replace_symlink(link: Path, target: str) -> None:
    """Point ``link`` at ``target`` atomically (a new symlink renamed over the old link or file)."""
    temporary = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(target)
    os.replace(temporary, link)


def pending_versions(month_folder: Path) -> list[PendingVersion]:
    if not month_folder.is_dir():
        return []
    found = []
    for path in month_folder.iterdir():
        match = PENDING_PATTERN.match(path.name)
        if match and path.is_dir() and not path.is_symlink():
            found.append(PendingVersion(path, int(match.group(1)), match.group(2)))
    return sorted(found, key=lambda pending: pending.number)


def pending_of_run(month_folder: Path, run_id: str) -> PendingVersion | None:
    mine = [pending for pending in pending_versions(month_folder) if pending.run_id == run_id]
    return mine[-1] if mine else None


def current_number(month_folder: Path) -> int | None:
    """The current version on disk: where ``current`` points, else (a folder published before
    ``current`` existed) the version its manifest names."""
    link = month_folder / CURRENT_LINK
    if link.is_symlink():
        return int(Path(os.readlink(link)).name)
    manifest = month_folder / "manifest.json"
    if manifest.is_file():
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        return int(version) if version is not None else None
    return None


def current_folder(month_folder: Path) -> Path | None:
    number = current_number(month_folder)
    folder = version_folder(month_folder, number) if number is not None else None
    return folder if folder is not None and folder.is_dir() else None


def start_pending(month_folder: Path, run_id: str) -> PendingVersion:
    """A fresh, empty folder for the next version of the month, beside (not in) ``versions/``."""
    (month_folder / VERSIONS).mkdir(parents=True, exist_ok=True)
    numbers = [int(path.name) for path in (month_folder / VERSIONS).iterdir() if path.name.isdigit()]
    numbers += [pending.number for pending in pending_versions(month_folder)]
    number = max(numbers, default=0) + 1
    folder = month_folder / f".pending-{number:04d}-{run_id}"
    folder.mkdir()
    return PendingVersion(folder, number, run_id)


def pending_from_current(month_folder: Path, run_id: str) -> PendingVersion:
    """A new version holding the current version's data files (the report re-rendered alone: a new
    narrative). Its manifest says which version it was made from."""
    source = current_folder(month_folder)
    if source is None:
        raise FileNotFoundError(f"{month_folder.name}: no current publication to render a report for")
    pending = start_pending(month_folder, run_id)
    for name in ("report_metrics.csv", "report_metrics.parquet"):
        shutil.copyfile(source / name, pending.folder / name)
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(version=pending.number, dagster_run_id=run_id, data_of_version=int(source.name))
    write_json(pending.folder / "manifest.json", manifest)
    return pending


def record_in_manifest(pending: PendingVersion, **entries) -> None:
    """Adds ``entries`` to the pending version's ``manifest.json`` (the report step: the narratives it used)."""
    path = pending.folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(entries)
    write_json(path, manifest)


def write_json(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def move_into_versions(pending: PendingVersion) -> Path:
    """Step 2 of the switch: the complete pending folder becomes ``versions/<NNNN>``."""
    target = version_folder(pending.month_folder, pending.number)
    os.replace(pending.folder, target)
    return target


def point_current_at(month_folder: Path, number: int) -> None:
    """Step 3 of the switch: ``current`` → ``versions/<NNNN>`` (one atomic rename), and every file of
    that version reachable as ``<month>/<name>`` through a fixed link ``<name> -> current/<name>``."""
    target = version_folder(month_folder, number)
    replace_symlink(month_folder / CURRENT_LINK, f"{VERSIONS}/{target.name}")
    for path in sorted(target.iterdir()):
        link = month_folder / path.name
        wanted = f"{CURRENT_LINK}/{path.name}"
        if not (link.is_symlink() and os.readlink(link) == wanted):
            replace_symlink(link, wanted)  # once per name (a folder published before `current` existed)


def remove_pending(month_folder: Path, keep_run_id: str | None = None) -> list[str]:
    """Remove versions that never became current (runs that died or failed before their switch)."""
    removed = []
    for pending in pending_versions(month_folder):
        if pending.run_id != keep_run_id:
            shutil.rmtree(pending.folder, ignore_errors=True)
            removed.append(pending.folder.name)
    return removed


def recover(month_folder: Path, recorded_version: int | None, keep_run_id: str | None = None) -> list[str]:
    """Make the month's files agree with the version the warehouse records as current (roll forward
    after a run died between its commit and its renames), and remove versions that never became
    current. Returns what was done, for the log."""
    done = []
    if recorded_version is not None and current_number(month_folder) != recorded_version:
        target = version_folder(month_folder, recorded_version)
        if not target.is_dir():
            pending = next((p for p in pending_versions(month_folder) if p.number == recorded_version), None)
            if pending is not None:
                move_into_versions(pending)
                done.append(f"moved {pending.folder.name} to versions/{target.name}")
        if target.is_dir():
            point_current_at(month_folder, recorded_version)
            done.append(f"current -> versions/{target.name}")
    done += [f"removed {name} (never became current)" for name in remove_pending(month_folder, keep_run_id)]
    return done
