"""PostgreSQL's client tools, from the pgserver package every installation has."""

import importlib.util
import os
from pathlib import Path

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
