"""What a sample-export writer gets: the month, its source's calibration, the pemda register and
region matcher, its random seed, and the other sources' samples it must agree with.

A source module declares its files as :class:`SampleFile` entries (``FILES``); ``generate.py``
calls ``write(handle, context)`` for each calibrated month. ``encoding=None`` gives the writer a
binary handle (XLSX); otherwise a text handle in that encoding with ``newline=""`` (the writer
chooses the line endings).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .common import load_calibration


@dataclass(frozen=True)
class SampleFile:
    filename: str
    write: Callable[[Any, SampleContext], Any]
    encoding: str | None = "utf-8"
    """Text encoding of the file; ``None``: a binary file (the writer gets a binary handle)."""


@dataclass
class SampleSet:
    """State shared by every writer of one generation run (register, matcher, cached tickets)."""

    register: Sequence[Mapping[str, str]]
    regions: Any  # tickets.RegionCatalog
    _tickets: dict[str, list[dict]] = field(default_factory=dict)
    _calibrations: dict[str, dict] = field(default_factory=dict)
    _memo: dict[Any, Any] = field(default_factory=dict)

    def calibration(self, name: str) -> dict:
        if name not in self._calibrations:
            self._calibrations[name] = load_calibration(name)
        return self._calibrations[name]

    def tickets(self, month: str) -> list[dict]:
        """The rows of ``month``'s sample ``tickets.csv`` (exactly the landed file's rows)."""
        if month not in self._tickets:
            from . import tickets

            calibration = self.calibration(tickets.CALIBRATION_FILE)
            self._tickets[month] = tickets.generate_tickets(
                month, calibration, self.register, f"{month}:{tickets.SOURCE}", matcher=self.regions
            )
        return self._tickets[month]

    def shared(self, key: Any, build: Callable[[], Any]) -> Any:
        """``build()`` once per run for ``key`` (a state several months or files share, e.g. the
        advocacy platform's accounts, whose monthly snapshots must agree)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def context(self, source: str, month: str, calibration: dict) -> SampleContext:
        return SampleContext(month=month, calibration=calibration, seed=f"{month}:{source}", samples=self)


@dataclass(frozen=True)
class SampleContext:
    month: str
    calibration: dict
    """The source's whole calibration document (``calibration/<source>.yaml``)."""
    seed: str
    """``f"{month}:{source}"``: the only randomness of the month's files."""
    samples: SampleSet

    @property
    def register(self) -> Sequence[Mapping[str, str]]:
        return self.samples.register

    @property
    def regions(self) -> Any:
        return self.samples.regions

    def month_calibration(self) -> dict:
        return dict(self.calibration["months"][self.month])
