"""The embedded PostgreSQL server used where DATABASE_URL is not set.

pgserver keeps one server per data folder and a list of the processes that use
it; the last process to exit stops the server. Every process of the project
(runserver and its reloader, gunicorn workers, management commands, tests)
calls ``start()`` from the settings, so they all share one server.
"""

import atexit
import contextlib
import json
import logging
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)


class EmbeddedDatabaseError(Exception):
    """The embedded server could not start; the message says why and what to do."""


def _forget_dead_processes(pgdata: Path) -> None:
    """Drop processes that died without saying goodbye (SIGKILL, power loss).

    pgserver stops the server when its list of processes empties; a dead pid
    left in the list would keep the server running forever.
    """
    import psutil

    pids_file = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(pids_file.read_text())
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        # Cut short by a kill in an older version that wrote it in place. Who
        # else uses the server is lost; starting with none beats not starting.
        logger.warning("%s was unreadable and has been emptied", pids_file)
        pids = None
    alive = [pid for pid in pids or [] if psutil.pid_exists(pid)]
    if alive != pids:
        _write_atomically(pids_file, alive)


def _write_atomically(path: Path, values) -> None:
    """Write the JSON to a new file and rename it over the old: no reader sees half."""
    new = path.with_name(f"{path.name}.{os.getpid()}.new")
    new.write_text(json.dumps(values))
    os.replace(new, path)


def _put_atomically(disk_list, values) -> None:
    _write_atomically(disk_list.path, values)


def _forget_dead_processes_locked(pgdata: Path, lock) -> None:
    with lock:
        _forget_dead_processes(pgdata)


def _ensure_database(socket_dir: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=socket_dir, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            # Another process of ours may have been quicker.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def start(pgdata: Path, database: str) -> str:
    """Start (or join) the server for ``pgdata``, create ``database`` if it is
    missing, and return the server's socket folder."""
    try:
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset; its fallback in /tmp is fine.
            warnings.simplefilter("ignore")
            import pgserver
            import pgserver.utils
            from pgserver.postgres_server import PostgresServer
    except ImportError as exc:  # pragma: no cover - only without the dependency
        raise EmbeddedDatabaseError(
            "Das Paket pgserver fehlt; installieren Sie die Abhängigkeiten mit 'make install' "
            "oder setzen Sie DATABASE_URL auf einen PostgreSQL-Server."
        ) from exc

    # pgserver writes its list of processes in place: a process killed while
    # writing leaves an empty file that no later process can read.
    pgserver.utils.DiskList.put = _put_atomically
    try:
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        if pgdata.exists():
            _forget_dead_processes_locked(pgdata, PostgresServer._lock)
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
        # atexit runs last-registered first, so this prunes before pgserver
        # decides whether we are the last process. It matters for runserver:
        # on SIGTERM its reloader SIGKILLs the child, which never deregisters.
        atexit.register(_forget_dead_processes_locked, pgdata, PostgresServer._lock)
        socket_dir = str(server.get_postmaster_info().socket_dir)
        _ensure_database(socket_dir, database)
    except Exception as exc:
        log = pgdata / "log"
        cause = " ".join(f"{type(exc).__name__}: {exc}".split())  # one line, however long
        raise EmbeddedDatabaseError(
            f"Die eingebettete PostgreSQL-Datenbank in {pgdata} konnte nicht starten "
            f"({cause}); sehen Sie in {log} nach oder setzen Sie "
            "DATABASE_URL auf einen erreichbaren PostgreSQL-Server."
        ) from exc
    return socket_dir


def _exit_cleanly_on_sigterm() -> None:
    """Let SIGTERM run the exit handlers, so this process leaves pgserver's list.

    Python's default for SIGTERM ends the process without atexit; the server
    would then wait for a process that is gone. Servers with their own handler
    (gunicorn) already exit through sys.exit and are left alone.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def start_or_exit(pgdata: Path, database: str) -> str:
    """Like ``start()``, but a failure ends the process with one clear sentence."""
    try:
        socket_dir = start(pgdata, database)
    except EmbeddedDatabaseError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(1) from None
    _exit_cleanly_on_sigterm()
    return socket_dir
