"""The raw export contracts (``shared/contracts/exports.md``) as data.

One :class:`ExportContract` per upstream file (per sheet for the hand-kept workbook). The loader
(``loader.py``) is generic: adding a source is a new entry here plus its dbt models, never new
loading code. A contract says where the file lands, how it is read (CSV delimiter and encoding, or
an XLSX sheet), which column places a row in the report month and how, and for each column how its
text is parsed and which row rule applies when it cannot be:
``on_violation="quarantine"`` sends the row to ``raw.quarantine`` with the rule and value;
``on_violation="fail"`` stops the load with an error naming file, row, column and rule (used where
the contract says a value is an error to report, such as an unknown department).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..reference.ticket_vocabulary import TICKET_CHANNELS, TICKET_DEPARTMENTS, TICKET_PERSON_CATEGORIES

ColumnKind = Literal["text", "integer", "timestamp", "date", "enum", "boolean"]
OnViolation = Literal["quarantine", "fail"]
PiiKind = Literal["name", "email", "phone", "wa_id"]
FileFormat = Literal["csv", "xlsx"]
Clock = Literal["utc", "wib"]
"""The clock a timestamp is stored in, and in which a value written without a UTC offset is read."""
MonthRule = Literal["inside", "not_after", "none"]
"""How ``month_column`` ties a row to the report month: a monthly extract (``inside`` the month), a
snapshot as of the month's end (``not_after`` it), or not at all (``none``: a lookup sheet)."""


@dataclass(frozen=True)
class ColumnContract:
    name: str
    kind: ColumnKind = "text"
    required: bool = False
    allowed: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    timestamp_format: str | None = None
    """strptime format of a ``timestamp`` whose contract gives one; with ``%z`` the value carries its UTC
    offset and is stored in UTC. ``None`` (the contract gives no format): every ISO 8601 form is valid
    (date only, ``T`` or space, fractional seconds, ``Z`` or an offset), read on ``clock``."""
    clock: Clock = "wib"
    """For an ISO 8601 ``timestamp``: stored on this clock; a value with an offset is converted to it, a
    value without one is taken as written on it."""
    date_formats: tuple[str, ...] = ()
    """strptime formats tried in turn for a ``date`` whose contract gives them (Indonesian month names are
    understood by ``%B``). Empty (the contract gives no format): every ISO 8601 form is valid, a
    timestamp giving its date on the WIB clock."""
    true_values: tuple[str, ...] = ("true",)
    false_values: tuple[str, ...] = ("false",)
    pii: PiiKind | None = None
    on_violation: OnViolation = "quarantine"
    scrub_personal_values: bool = False
    """Free text that may hold the row's own personal values (an agent types the user's name or phone
    into a subject): the loader removes them (the values of the row's ``pii`` columns) before the raw
    row is stored, so the text can go downstream. The landed file keeps the text as written."""
    names_a_pemda: bool = False
    """Text typed by people naming a pemda; matched to the register by ``region_pemda_matches``."""
    description: str = ""

    @property
    def stores_utc(self) -> bool:
        return self.kind == "timestamp" and "%z" in (self.timestamp_format or "")

    @property
    def reads_iso8601(self) -> bool:
        """Whether the column takes any ISO 8601 form (a date or timestamp whose contract gives no format)."""
        return (self.kind == "timestamp" and self.timestamp_format is None) or (
            self.kind == "date" and not self.date_formats
        )


@dataclass(frozen=True)
class ExportContract:
    source: str
    """Unique name of the export (``raw.load_log.source``, quarantine, checks)."""
    system: str
    entity: str
    file_pattern: str
    """Glob of the export file inside the month folder; the newest match is the one loaded."""
    columns: tuple[ColumnContract, ...]
    key: str | None
    """Column identifying a row (unique within a file unless ``key_unique_in_file`` is False)."""
    month_column: str | None
    """Column placing a row in the report month (on the WIB clock), see ``month_rule``."""
    month_column_utc: bool = False
    """True when ``month_column`` holds UTC and must be shifted to WIB before the month test."""
    month_rule: MonthRule = "inside"
    folder: str | None = None
    """Landing folder ``landing/<folder>/<YYYY-MM>/`` (default: ``source``)."""
    file_format: FileFormat = "csv"
    sheet: str | None = None
    """Sheet of an XLSX workbook (header in row 1)."""
    delimiter: str = ","
    encoding: str = "utf-8"
    key_unique_in_file: bool = True
    allow_empty: bool = False
    """A header-only file is a valid month with no records (a register sheet with no events)."""
    available_from: str | None = None
    """First month (YYYY-MM) the upstream system produces this export; earlier months expect none."""
    max_quarantined_fraction: float = 0.01
    description: str = ""

    @property
    def raw_table(self) -> str:
        return f"{self.system}_{self.entity}"

    @property
    def staging_model(self) -> str:
        """The dbt staging model of this export (``stg_<system>__<entity>``), one row per raw row."""
        return f"stg_{self.system}__{self.entity}"

    @property
    def landing_folder(self) -> str:
        return self.folder or self.source

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> ColumnContract:
        return next(column for column in self.columns if column.name == name)

    def expected_in(self, month: str) -> bool:
        """Whether the upstream system produces this export for ``month``."""
        return self.available_from is None or month >= self.available_from

    def describe_file(self) -> str:
        where = f"landing/{self.landing_folder}/<YYYY-MM>/{self.file_pattern}"
        return f"{where} [sheet {self.sheet!r}]" if self.sheet else where


UTC_Z = "%Y-%m-%dT%H:%M:%SZ"

TICKET_STATUSES = ("awaiting_agent", "awaiting_user", "resolved", "closed")

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
        ColumnContract("date_first_agent_reply", "timestamp", clock="utc"),
        ColumnContract("date_resolved", "timestamp", clock="utc"),
        ColumnContract("status", "enum", required=True, allowed=TICKET_STATUSES),
        ColumnContract("channel", "enum", required=True, allowed=TICKET_CHANNELS),
        ColumnContract(
            "department",
            "enum",
            required=True,
            allowed=TICKET_DEPARTMENTS,
            on_violation="fail",
            description="A department the pipeline does not know is an error, never a dropped row.",
        ),
        ColumnContract(
            "subject",
            scrub_personal_values=True,
            description="Goes downstream (sub-topics): the row's own name, e-mail and phone are removed.",
        ),
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

WIB_SECONDS = "%Y-%m-%d %H:%M:%S"
"""Local WIB wall-clock time as most exports write it: ``2024-02-05 09:43:10``."""
ISO_DATE = ("%Y-%m-%d",)
REGISTER_DATES = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y")
"""Register dates: Excel date cells (read as ISO), ``01/02/2024`` (day first) or ``1 Februari 2024``."""
YES_NO = {"true_values": ("Ya",), "false_values": ("Tidak",)}

CHATBOT_MENUS = (
    "Informasi Anggaran Transfer ke Daerah", "Informasi Pembiayaan Daerah", "Informasi Fungsional AKPD",
    "Informasi Standar Harga Satuan Regional (SHSR)", "Informasi Pajak dan Retribusi Daerah",
    "Informasi Aplikasi SIKD-Core", "Informasi Permohonan Data", "Informasi Kunjungan ke DJPK", "Chat Agent",
)  # fmt: skip

CHATBOT = ExportContract(
    source="chatbot",
    system="chatbot",
    entity="sessions",
    file_pattern="chatbot_sessions*.csv",
    key="session_id",
    month_column="started_at",
    available_from="2023-09",
    description="WhatsApp chatbot sessions (the chatbot runs since 1 September 2023): one row per session.",
    columns=(
        ColumnContract("session_id", required=True, on_violation="fail"),
        ColumnContract("wa_id", pii="wa_id"),
        ColumnContract("started_at", "timestamp", required=True, timestamp_format=WIB_SECONDS),
        ColumnContract("name", pii="name"),
        ColumnContract("region", names_a_pemda=True),
        ColumnContract("agency"),
        ColumnContract("email", pii="email"),
        ColumnContract("question", description="Free text typed by the user: may hold personal data, raw layer only."),
        ColumnContract("menu", "enum", allowed=CHATBOT_MENUS),
        ColumnContract("submenu"),
        ColumnContract("handed_to_agent", "boolean", required=True),
        ColumnContract("ticket_ref"),
    ),
)

CALLS = ExportContract(
    source="calls",
    system="avaya",
    entity="calls",
    file_pattern="calls*.csv",
    key="CallID",
    month_column="Segment Start",
    delimiter=";",
    encoding="cp1252",
    description="Avaya CMS call records of the phone line (semicolon-separated, Windows-1252).",
    columns=(
        ColumnContract("CallID", required=True, on_violation="fail"),
        ColumnContract("Segment Start", "timestamp", required=True, timestamp_format="%d/%m/%Y %H:%M:%S"),
        ColumnContract("ANI", pii="phone"),
        ColumnContract("VDN"),
        ColumnContract("Split/Skill"),
        ColumnContract("Disposition", "enum", required=True, allowed=("ANSWERED", "ABANDONED", "BUSY")),
        ColumnContract("Queue Time", "integer", required=True, minimum=0),
        ColumnContract("Talk Time", "integer", required=True, minimum=0),
        ColumnContract("ACW Time", "integer", minimum=0),
        ColumnContract("Agent"),
        ColumnContract("Queued", "boolean", required=True, true_values=("Y",), false_values=("N",)),
    ),
)

EMAIL_LAPOR_CATEGORIES = (
    "Insentif Fiskal", "Pinjaman Daerah", "Dana Desa", "Hibah Daerah", "APBD", "DNKD", "DAU", "DAK", "DBH", "Lainnya",
)  # fmt: skip

EMAIL_LAPOR = ExportContract(
    source="email_lapor",
    system="lapor",
    entity="emails",
    file_pattern="email_lapor*.csv",
    key="message_id",
    key_unique_in_file=False,
    month_column="received_at",
    month_column_utc=True,
    description=(
        "Mailbox lapor.djpk@kemenkeu.go.id: routine document submissions. A forwarded copy repeats the "
        "Message-ID; it is kept in raw and counted once downstream."
    ),
    columns=(
        ColumnContract("message_id", required=True),
        ColumnContract("received_at", "timestamp", required=True, timestamp_format="%Y-%m-%dT%H:%M:%S%z"),
        ColumnContract("from_address", pii="email"),
        ColumnContract("subject"),
        ColumnContract("category", "enum", required=True, allowed=EMAIL_LAPOR_CATEGORIES),
        ColumnContract("region", names_a_pemda=True),
        ColumnContract("attachment_count", "integer", minimum=0),
    ),
)


def _register(
    sheet: str, entity: str, columns: tuple[ColumnContract, ...], description: str, **kwargs
) -> ExportContract:
    """One sheet of the hand-kept ``registers.xlsx`` (header row 1, Indonesian headers)."""
    return ExportContract(
        source=f"registers_{entity}",
        system="register",
        entity=entity,
        folder="registers",
        file_pattern="registers*.xlsx",
        file_format="xlsx",
        sheet=sheet,
        key=kwargs.pop("key", None),
        allow_empty=True,
        month_column=kwargs.pop("month_column", "Tanggal"),
        description=description,
        columns=columns,
        max_quarantined_fraction=kwargs.pop("max_quarantined_fraction", 0.05),
        **kwargs,
    )


REGISTER_DATE = {"kind": "date", "required": True, "date_formats": REGISTER_DATES}

REGISTER_VICON = _register(
    "Vicon",
    "vicon",
    (
        ColumnContract("Tanggal", **REGISTER_DATE),
        ColumnContract("Daerah", names_a_pemda=True),
        ColumnContract("Topik"),
        ColumnContract("Platform"),
        ColumnContract("Jumlah Peserta", "integer", minimum=0),
    ),
    "Video conferences held (register sheet `Vicon`).",
)

REGISTER_FACE_TO_FACE = _register(
    "Tatap Muka",
    "face_to_face",
    (
        ColumnContract("Tanggal", **REGISTER_DATE),
        ColumnContract("Daerah/Instansi", required=True, names_a_pemda=True),
        ColumnContract("Topik"),
        ColumnContract("Jumlah Tamu", "integer", minimum=0),
        ColumnContract("SPPD", "boolean", **YES_NO),
        ColumnContract("Status", "enum", required=True, allowed=("Dilaksanakan", "Ditolak")),
    ),
    "Face-to-face consultations and declined reservations (register sheet `Tatap Muka`).",
)

REGISTER_EVENTS = _register(
    "Kegiatan",
    "events",
    (
        ColumnContract("Tanggal", **REGISTER_DATE),
        ColumnContract("Nama Kegiatan", required=True),
        ColumnContract("Jenis", "enum", allowed=("Webinar", "FGD", "Workshop", "Sosialisasi", "Lainnya")),
    ),
    "Webinars, FGDs, workshops and other events (register sheet `Kegiatan`).",
)

REGISTER_WA_BLASTS = _register(
    "WA Blast",
    "wa_blasts",
    (
        ColumnContract("Tanggal", **REGISTER_DATE),
        ColumnContract("Judul", required=True),
        ColumnContract("Jumlah Penerima", "integer", minimum=0),
    ),
    "WhatsApp broadcasts to registered users (register sheet `WA Blast`).",
)

REGISTER_WEB_PUBLICATIONS = _register(
    "Publikasi Web",
    "web_publications",
    (
        ColumnContract("Tanggal", **REGISTER_DATE),
        ColumnContract("Nomor"),
        ColumnContract("Perihal", required=True),
    ),
    "Announcements published on the DJPK website (register sheet `Publikasi Web`).",
)

REGISTER_ADVOCACY_TARGETS = _register(
    "Target Advokasi",
    "advocacy_targets",
    (
        ColumnContract("Periode", required=True, description="Quarter, e.g. `2024-Q1`."),
        ColumnContract("Target Pegawai", "integer", required=True, minimum=0),
        ColumnContract("Jumlah Pegawai Seluruhnya", "integer", required=True, minimum=0),
    ),
    "Employee-advocacy target per quarter and the number of all employees (register sheet `Target Advokasi`).",
    month_column=None,
    month_rule="none",
    available_from="2023-01",
    key="Periode",
)

PPID = ExportContract(
    source="ppid",
    system="ppid",
    entity="requests",
    file_pattern="ppid_register*.csv",
    key="nomor_registrasi",
    month_column="tanggal_permohonan",
    description="Public-information requests to the PPID (UU 14/2008), one row per request filed in the month.",
    columns=(
        ColumnContract("nomor_registrasi", required=True, on_violation="fail"),
        ColumnContract("tanggal_permohonan", "date", required=True, date_formats=ISO_DATE),
        ColumnContract("nama_pemohon", pii="name"),
        ColumnContract("kategori_pemohon", "enum", allowed=("perorangan", "badan_hukum", "kelompok_orang")),
        ColumnContract("pekerjaan"),
        ColumnContract("informasi_diminta"),
        ColumnContract("saluran", "enum", allowed=("website", "email", "surat", "datang_langsung")),
        ColumnContract(
            "status", "enum", required=True, allowed=("diproses", "dikabulkan", "dikabulkan_sebagian", "ditolak")
        ),
        ColumnContract("tanggal_tanggapan", "date"),
        ColumnContract("perpanjangan", "boolean", true_values=("1",), false_values=("0",)),
        ColumnContract("alasan_penolakan", scrub_personal_values=True),
        ColumnContract("keberatan", "boolean", true_values=("1",), false_values=("0",)),
    ),
)

ADVOCACY_ACTIVATIONS = ExportContract(
    source="advocacy_activations",
    system="advocacy",
    entity="activations",
    folder="advocacy",
    file_pattern="advocacy_activations*.csv",
    key="activation_id",
    month_column="activated_at",
    available_from="2023-01",
    description="Employee-advocacy platform: one row per activation (share, like/comment/share, own content).",
    columns=(
        ColumnContract("activation_id", required=True, on_violation="fail"),
        ColumnContract("employee_id", required=True, description="Opaque id of the platform, not personal data."),
        ColumnContract("unit"),
        ColumnContract("activated_at", "timestamp", required=True),
        ColumnContract(
            "activation_type",
            "enum",
            required=True,
            allowed=("konten_tersedia", "like_comment_share", "kreasi_mandiri"),
        ),
    ),
)

ADVOCACY_ACCOUNTS = ExportContract(
    source="advocacy_accounts",
    system="advocacy",
    entity="accounts",
    folder="advocacy",
    file_pattern="advocacy_accounts*.csv",
    key=None,
    month_column="registered_at",
    month_rule="not_after",
    available_from="2023-01",
    description="Employee-advocacy platform: every registered social-media account as of the month's end (a snapshot).",
    columns=(
        ColumnContract("employee_id", required=True),
        ColumnContract(
            "platform",
            "enum",
            required=True,
            allowed=("instagram", "x", "facebook", "whatsapp", "linkedin", "youtube", "tiktok"),
        ),
        ColumnContract("registered_at", "timestamp", required=True),
    ),
)

FAQ_REVIEW = ExportContract(
    source="knowledge_base",
    system="knowledge_base",
    entity="faq_reviews",
    file_pattern="faq_review*.csv",
    key="faq_id",
    month_column="flagged_at",
    month_rule="not_after",
    available_from="2023-01",
    description="Knowledge-base (FAQ) entries flagged for review by the technical units, as of the month's end.",
    columns=(
        ColumnContract("faq_id", required=True, on_violation="fail"),
        ColumnContract("unit", required=True),
        ColumnContract("question"),
        ColumnContract("status", "enum", required=True, allowed=("perlu_review", "sudah_review")),
        ColumnContract("flagged_at", "date", required=True),
        ColumnContract("reviewed_at", "date"),
    ),
)

REGISTER_SHEETS = (
    REGISTER_VICON,
    REGISTER_FACE_TO_FACE,
    REGISTER_EVENTS,
    REGISTER_WA_BLASTS,
    REGISTER_WEB_PUBLICATIONS,
    REGISTER_ADVOCACY_TARGETS,
)
"""The sheets of the hand-kept workbook ``registers.xlsx``, in the workbook's order."""

CONTRACTS: dict[str, ExportContract] = {
    contract.source: contract
    for contract in (
        TICKETS,
        CHATBOT,
        CALLS,
        EMAIL_LAPOR,
        *REGISTER_SHEETS,
        PPID,
        ADVOCACY_ACTIVATIONS,
        ADVOCACY_ACCOUNTS,
        FAQ_REVIEW,
    )
}
