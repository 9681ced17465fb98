"""The embedded SQLite database keeps an acknowledged write through a power cut."""

import subprocess
import sys

from bench.harness import ROOT, base_environment

PRAGMAS = """
from django.db import connection
with connection.cursor() as cursor:
    print(cursor.execute("PRAGMA journal_mode").fetchone()[0], cursor.execute("PRAGMA synchronous").fetchone()[0])
"""


def test_sqlite_commits_reach_the_disk_before_they_are_acknowledged(tmp_path):
    env = base_environment(workdir=tmp_path)  # a file database, as in production on SQLite
    env["DJANGO_SETTINGS_MODULE"] = "inclusion.settings"

    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRAGMAS],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip

    # 2 is FULL: the write-ahead log is synced at every commit (NORMAL, 1, loses commits on power loss).
    assert output[-2:] == ["wal", "2"]
