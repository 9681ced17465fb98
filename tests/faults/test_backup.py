"""The whole-instance backup and restore procedures of docs/deploy.md, carried out for real."""

import shutil
import sqlite3
import subprocess

import pytest

from bench.harness import base_environment, manage, postgres_cluster

from .conftest import SKIP_ON_POSTGRES_PASS

pytestmark = [pytest.mark.faults, SKIP_ON_POSTGRES_PASS]

# Some data of every kind: the handbook and its practices, and an organisation's own records.
SEED = """
from inclusion.accounts.models import User
from inclusion.assessments.answers import save_answer
from inclusion.assessments.rounds import start_assessment
from inclusion.organisations.models import Membership, Organisation, Role
user = User.objects.create_user(username="owner@example.org", email="owner@example.org", password="x" * 20)
organisation = Organisation.objects.create(name="Rīgas dome", slug="riga", kind="authority")
Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)
assessment, _ = start_assessment(
    title="2025", organisation_kind="authority", organisation=organisation, user=user
)
for number in range(1, 8):
    save_answer(assessment, f"a1.c{number}", "partly", "Ļoti labi — ar piezīmēm", user)
"""

# Every table's row count in one query (query_to_xml runs a count per table).
COUNT_ROWS = """
SELECT table_name || '=' || (xpath('/row/c/text()',
       query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name
"""


def row_counts(cluster, database: str) -> dict[str, int]:
    result = cluster.client("psql", "-d", database, "-At", "-c", COUNT_ROWS, stdout=subprocess.PIPE, text=True)
    return {name: int(count) for name, count in (line.split("=") for line in result.stdout.split())}


def test_postgres_dump_restores_every_row(tmp_path, postgres_binaries):
    with postgres_cluster() as cluster:
        env = base_environment(cluster.url, tmp_path)
        manage(env, "migrate", "--no-input")
        manage(env, "import_content")
        manage(env, "import_practices")
        manage(env, "shell", "-c", SEED)
        original = row_counts(cluster, "inclusion")

        # Backup: pg_dump -Fc (what the nightly job runs).
        dump = tmp_path / "inclusion.dump"
        with dump.open("wb") as out:
            cluster.client("pg_dump", "-Fc", "-d", "inclusion", stdout=out)

        # Restore into a new database (a restore test, or a move to a new server) …
        cluster.client("createdb", "restored")
        with dump.open("rb") as source:
            cluster.client("pg_restore", "--no-owner", "-d", "restored", stdin=source)
        # … and over the live database after a mistake, with the app stopped.
        cluster.client("psql", "-d", "inclusion", "-c", "DELETE FROM assessments_answer; DELETE FROM django_session")
        with dump.open("rb") as source:
            cluster.client("pg_restore", "--clean", "--if-exists", "--no-owner", "-d", "inclusion", stdin=source)

        restored = row_counts(cluster, "restored")
        restored_in_place = row_counts(cluster, "inclusion")
        comment = cluster.client(
            "psql", "-d", "restored", "-At", "-c", "SELECT DISTINCT comment FROM assessments_answer",
            stdout=subprocess.PIPE, text=True,
        ).stdout.strip()  # fmt: skip

    assert original["assessments_answer"] == 7
    assert original["handbook_handbookitem"] > 300 and original["practices_practice"] == 62
    assert restored == original
    assert restored_in_place == original
    assert comment == "Ļoti labi — ar piezīmēm"


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 command-line tool is not installed")
def test_sqlite_backup_command_copies_every_row(tmp_path):
    env = base_environment(workdir=tmp_path)
    manage(env, "migrate", "--no-input")
    manage(env, "import_content")
    manage(env, "shell", "-c", SEED)
    live, copy = tmp_path / "bench.sqlite3", tmp_path / "backup.sqlite3"

    subprocess.run(["sqlite3", str(live), f".backup '{copy}'"], check=True)

    def counts(path):
        with sqlite3.connect(path) as database:
            tables = [name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {table: database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608

    assert counts(copy) == counts(live)
    assert counts(copy)["assessments_answer"] == 7
    with sqlite3.connect(copy) as database:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
