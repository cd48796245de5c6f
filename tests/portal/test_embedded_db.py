"""The embedded PostgreSQL that `make run` uses where DATABASE_URL is not set."""

import json
import os
import signal
import subprocess
import sys
import time

from portal.embedded_db import _forget_dead_processes
from portal.settings import BASE_DIR

START = """
import sys
from pathlib import Path
from portal.embedded_db import start_or_exit
import psycopg
socket = start_or_exit(Path(sys.argv[1]), "portal")
with psycopg.connect(host=socket, user="postgres", dbname="portal") as conn:
    print(conn.execute("SELECT current_setting('server_version')").fetchone()[0])
"""


def run_python(code, *args):
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_starts_creates_the_database_and_stops_with_the_last_process(tmp_path):
    pgdata = tmp_path / "pgdata"

    result = run_python(START, str(pgdata))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("16.")
    # The only process has exited, so the server has stopped.
    for _ in range(50):
        if not (pgdata / "postmaster.pid").exists():
            break
        time.sleep(0.1)
    assert not (pgdata / "postmaster.pid").exists()
    # A second start finds the existing data and database.
    assert run_python(START, str(pgdata)).returncode == 0


def test_when_it_cannot_start_it_says_why_in_one_sentence(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be")

    result = run_python(START, str(blocker / "pgdata"))

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "konnte nicht starten" in lines[0]
    assert "DATABASE_URL" in lines[0]


def test_processes_that_died_are_forgotten(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / ".handle_pids.json").write_text(json.dumps([os.getpid(), dead.pid]))

    _forget_dead_processes(tmp_path)

    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == [os.getpid()]


def test_a_list_of_processes_cut_short_by_a_kill_does_not_stop_the_next_start(tmp_path):
    pgdata = tmp_path / "pgdata"
    assert run_python(START, str(pgdata)).returncode == 0
    (pgdata / ".handle_pids.json").write_text("")  # what a kill while writing leaves

    result = run_python(START, str(pgdata))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("16.")
    assert json.loads((pgdata / ".handle_pids.json").read_text()) == []


def test_runserver_stopped_by_sigterm_stops_the_server(tmp_path):
    """A supervisor's SIGTERM to runserver's process group: the reloader SIGKILLs
    its child, which never deregisters; the server must stop all the same."""
    pgdata = tmp_path / "pgdata"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_DEBUG="1", PORTAL_PGDATA=str(pgdata), PORTAL_MEDIA_ROOT=str(tmp_path))
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "127.0.0.1:0"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    pids_file = pgdata / ".handle_pids.json"
    try:
        for _ in range(200):
            if pids_file.exists() and len(json.loads(pids_file.read_text() or "[]")) == 2:
                break
            time.sleep(0.1)
        assert len(json.loads(pids_file.read_text())) == 2  # reloader and its child
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    # A shutdown checkpoint on a busy machine can take a while.
    for _ in range(300):
        if not (pgdata / "postmaster.pid").exists():
            break
        time.sleep(0.1)
    log = (pgdata / "log").read_text()[-2000:] if (pgdata / "log").exists() else ""
    assert not (pgdata / "postmaster.pid").exists(), (pids_file.read_text(), log)
