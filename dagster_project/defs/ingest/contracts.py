"""The raw export contracts (``shared/contracts/exports.md``) as data.

One :class:`ExportContract` per upstream file. The loader (``loader.py``) is generic: adding a
source is a new entry here plus its dbt models, never new loading code.

Each column says how its text is parsed and which row rule applies when it cannot be:
``on_violation="quarantine"`` sends the row to ``raw.quarantine`` with the rule and value;
``on_violation="fail"`` stops the load with an error naming file, row, column and rule (used where
the contract says a value is an error to report, such as an unknown department).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal["text", "integer", "timestamp", "enum"]
OnViolation = Literal["quarantine", "fail"]
PiiKind = Literal["name", "email", "phone", "wa_id"]


@dataclass(frozen=True)
class ColumnContract:
    name: str
    kind: ColumnKind = "text"
    required: bool = False
    allowed: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    timestamp_format: str | None = None
    pii: PiiKind | None = None
    on_violation: OnViolation = "quarantine"
    names_a_pemda: bool = False
    """Text typed by people naming a pemda; matched to the register by ``region_pemda_matches``."""
    description: str = ""


@dataclass(frozen=True)
class ExportContract:
    source: str
    """Landing folder name: ``landing/<source>/<YYYY-MM>/``."""
    system: str
    entity: str
    file_pattern: str
    """Glob of the export file inside the month folder; the newest match is the one loaded."""
    columns: tuple[ColumnContract, ...]
    key: str
    """Column unique within a file (and, for tickets, across months)."""
    month_column: str
    """Timestamp column that must fall inside the report month (on the WIB clock)."""
    month_column_utc: bool
    """True when ``month_column`` is in UTC and must be shifted to WIB before the month test."""
    delimiter: str = ","
    encoding: str = "utf-8"
    max_quarantined_fraction: float = 0.01
    description: str = ""

    @property
    def raw_table(self) -> str:
        return f"{self.system}_{self.entity}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> ColumnContract:
        return next(column for column in self.columns if column.name == name)


UTC_Z = "%Y-%m-%dT%H:%M:%SZ"

TICKET_CHANNELS = ("whatsapp", "phone", "hai_kemenkeu", "live_chat", "email")
TICKET_STATUSES = ("awaiting_agent", "awaiting_user", "resolved", "closed")
TICKET_PERSON_CATEGORIES = ("Pemda", "Akademisi", "Kementerian/Lembaga", "Lainnya")
TICKET_DEPARTMENTS = (
    "DAU", "DBH", "DAK Fisik", "DAK Nonfisik", "Dana Desa", "Insentif Fiskal", "Hibah Daerah",
    "Otonomi Khusus", "PDRD", "Pembiayaan Daerah", "APBD", "JF AKPD", "SHSR", "Aplikasi",
    "Transfer ke Daerah", "Permohonan Data", "DKD", "Surat Masuk", "Reservasi", "Pengaduan",
    "Lainnya",
)  # fmt: skip

TICKETS = ExportContract(
    source="tickets",
    system="deskpro",
    entity="tickets",
    file_pattern="tickets*.csv",
    key="id",
    month_column="date_created",
    month_column_utc=True,
    description="Deskpro ticket export: one row per consultation ticket, every channel.",
    columns=(
        ColumnContract("id", "integer", required=True, on_violation="fail"),
        ColumnContract("ref", required=True),
        ColumnContract("date_created", "timestamp", required=True, timestamp_format=UTC_Z),
        ColumnContract("date_first_agent_reply", "timestamp", timestamp_format=UTC_Z),
        ColumnContract("date_resolved", "timestamp", timestamp_format=UTC_Z),
        ColumnContract("status", "enum", required=True, allowed=TICKET_STATUSES),
        ColumnContract("channel", "enum", required=True, allowed=TICKET_CHANNELS),
        ColumnContract(
            "department", "enum", required=True, allowed=TICKET_DEPARTMENTS, on_violation="fail",
            description="A department the pipeline does not know is an error, never a dropped row.",
        ),
        ColumnContract("subject"),
        ColumnContract("labels"),
        ColumnContract("agent"),
        ColumnContract("person_name", pii="name"),
        ColumnContract("person_email", pii="email"),
        ColumnContract("person_phone", pii="phone"),
        ColumnContract("person_category", "enum", required=True, allowed=TICKET_PERSON_CATEGORIES),
        ColumnContract("organization"),
        ColumnContract("region", names_a_pemda=True),
        ColumnContract("escalated_to"),
        ColumnContract("feedback_service", "integer", minimum=1, maximum=5),
        ColumnContract("feedback_substance", "integer", minimum=1, maximum=5),
    ),
)

CONTRACTS: dict[str, ExportContract] = {contract.source: contract for contract in (TICKETS,)}
