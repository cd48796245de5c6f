"""PostgreSQL's client tools, from the pgserver package every installation has."""

import importlib.util
import os
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection


def pg_tool(name):
    """pg_dump or pg_restore of PostgreSQL 16: they work with servers up to 16."""
    # Found without importing pgserver, which would start looking for runtime folders.
    package = Path(importlib.util.find_spec("pgserver").origin).parent
    return str(package / "pginstall" / "bin" / name)


def client_env():
    env = dict(os.environ)
    if connection.settings_dict["PASSWORD"]:
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def run_pg_tool(name, *args):
    """Run pg_dump or pg_restore against the configured database; a failure is a CommandError."""
    db = connection.settings_dict
    target = [f"--dbname={db['NAME']}"]
    for option, key in (("host", "HOST"), ("port", "PORT"), ("username", "USER")):
        if db[key]:
            target.append(f"--{option}={db[key]}")
    result = subprocess.run(  # noqa: S603 - our own tool, arguments from settings
        [pg_tool(name), *args, *target],
        env=client_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise CommandError(f"{name} ist fehlgeschlagen: {result.stderr.strip()}")
