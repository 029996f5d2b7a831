"""A local PostgreSQL cluster for the Dagster instance: ``./dev serve`` when no server is configured, and
the tests' throw-away cluster.

The Debian package's binaries (``/usr/lib/postgresql/<version>/bin``) run a cluster in a folder of its
own: TCP on 127.0.0.1 only (no Unix socket), SCRAM passwords, a superuser ``djpk`` whose generated
password is kept beside the cluster in a 0600 file and handed to Dagster through ``DAGSTER_PG_PASSWORD``
(never logged). PostgreSQL refuses to run as root: as root the server runs as the ``postgres`` system
user the package creates (``nobody`` without it) through ``runuser``, and the cluster folder is that
user's.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "djpk"
DATABASE = "dagster"
DEFAULT_PORT = 5433
PG_ENV = ("DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_DB", "DAGSTER_PG_USER", "DAGSTER_PG_PASSWORD")
SERVER_SETTINGS = """
# djpk: a local cluster for the Dagster instance (dagster_project/pg_cluster.py)
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 100
shared_buffers = 128MB
"""


class PostgresMissing(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def pg_bin_dir() -> Path:
    """Newest ``/usr/lib/postgresql/<version>/bin`` (Debian), else the folder of ``pg_ctl`` on PATH."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise PostgresMissing("PostgreSQL is not installed (Debian: apt-get install postgresql)")


def server_user() -> str | None:
    """The user the server runs as when we are root (None: ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and there is neither a 'postgres' nor a 'nobody' user to run PostgreSQL as")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class LocalCluster:
    """A cluster under ``root``: ``root/data`` (PGDATA), ``root/password`` (0600), ``root/port``."""

    root: Path
    port: int = DEFAULT_PORT

    @property
    def pgdata(self) -> Path:
        return self.root / "data"

    @property
    def password_file(self) -> Path:
        return self.root / "password"

    @property
    def log_file(self) -> Path:
        return self.pgdata / "server.log"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(pg_bin_dir() / args[0]), *args[1:]]
        user = server_user()
        if user:
            command = ["runuser", "-u", user, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, cwd="/")

    def exists(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists() and self.password_file.exists()

    def init(self) -> None:
        """initdb with a generated superuser password (SCRAM), listening on 127.0.0.1 only."""
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        password = secrets.token_urlsafe(24)
        self.password_file.write_text(password)
        os.chmod(self.password_file, 0o600)
        self.pgdata.mkdir(mode=0o700, exist_ok=True)
        user = server_user()
        pwfile = self.root / ".initdb-password"
        pwfile.write_text(password + "\n")
        if user:  # the server's user must own PGDATA and reach it; the password file stays root's
            entry = pwd.getpwnam(user)
            os.chmod(self.root, 0o711)
            for path in (self.pgdata, pwfile):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        try:
            done = self._run(
                "initdb",
                "-D",
                str(self.pgdata),
                "-U",
                SUPERUSER,
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                check=False,
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
        with open(self.pgdata / "postgresql.conf", "a") as conf:
            conf.write(SERVER_SETTINGS)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.pgdata), "status", check=False).returncode == 0

    def start(self) -> None:
        if self.running():
            return
        if port_in_use(self.port):
            raise RuntimeError(f"port {self.port} on 127.0.0.1 is taken: set DJPK_PG_PORT to a free port")
        done = self._run(
            "pg_ctl",
            "-D",
            str(self.pgdata),
            "-l",
            str(self.log_file),
            "-o",
            f"-p {self.port}",
            "-w",
            "-t",
            "60",
            "start",
            check=False,
        )
        if done.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start ({done.returncode}): {done.stderr.strip()}\n{log}")
        self.wait_ready()
        self.ensure_database(DATABASE)

    def stop(self) -> None:
        """A fast shutdown: open sessions are ended, everything committed is on disk."""
        if self.pgdata.exists() and self.running():
            self._run("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "-t", "60", "stop")

    def url(self, database: str = DATABASE) -> str:
        from urllib.parse import quote

        return f"postgresql+psycopg2://{SUPERUSER}:{quote(self.password_file.read_text())}@127.0.0.1:{self.port}/{database}"

    def wait_ready(self, timeout: float = 60) -> None:
        import sqlalchemy

        deadline = time.monotonic() + timeout
        while True:
            try:
                engine = sqlalchemy.create_engine(self.url("postgres"), poolclass=sqlalchemy.pool.NullPool)
                with engine.connect():
                    return
            except sqlalchemy.exc.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def ensure_database(self, name: str) -> None:
        import sqlalchemy

        engine = sqlalchemy.create_engine(
            self.url("postgres"), isolation_level="AUTOCOMMIT", poolclass=sqlalchemy.pool.NullPool
        )
        with engine.connect() as conn:
            if (
                conn.execute(sqlalchemy.text("select 1 from pg_database where datname = :name"), {"name": name}).first()
                is None
            ):
                conn.execute(sqlalchemy.text(f'create database "{name}"'))

    def env(self) -> dict[str, str]:
        """The ``DAGSTER_PG_*`` variables ``deploy/dagster.yaml`` reads, for this cluster."""
        return {
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_DB": DATABASE,
            "DAGSTER_PG_USER": SUPERUSER,
            "DAGSTER_PG_PASSWORD": self.password_file.read_text(),
        }

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def default_cluster_root(data_root: Path) -> Path:
    """``$DJPK_PG_DIR``, else ``<data dir>/postgres``; as root ``/var/lib/postgresql/djpk-<data dir hash>``
    (the server's user must reach its folder, and a data dir is its service user's only)."""
    chosen = os.environ.get("DJPK_PG_DIR")
    if chosen:
        return Path(chosen).expanduser().resolve()
    if os.geteuid() == 0:
        import hashlib

        return Path("/var/lib/postgresql") / f"djpk-{hashlib.sha256(str(data_root).encode()).hexdigest()[:10]}"
    return data_root / "postgres"


def configured_server() -> bool:
    """A PostgreSQL server is given in the environment (``DAGSTER_PG_HOST``)."""
    return bool(os.environ.get("DAGSTER_PG_HOST"))


def local_cluster(data_root: Path) -> LocalCluster:
    return LocalCluster(default_cluster_root(data_root), int(os.environ.get("DJPK_PG_PORT", DEFAULT_PORT)))
