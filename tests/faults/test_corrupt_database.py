"""A SQLite file that is not a database any more (disk fault, a bad copy) answers 503 on
every route that needs the database, as an outage does: never a 500 with a traceback."""

import http.client
import subprocess
import sys

import pytest

from bench.harness import ROOT, base_environment, manage, production_server

from .conftest import SKIP_ON_POSTGRES_PASS

pytestmark = [pytest.mark.faults, SKIP_ON_POSTGRES_PASS]

SEED = """
import datetime
from bench.harness import signed_in_session
from inclusion.accounts.models import User
from inclusion.api.models import AccessToken
from inclusion.feedback.surveys import create_survey
from inclusion.organisations.models import Membership, Organisation, Role
user = User.objects.create_user(username="owner@example.org", email="owner@example.org", password="x" * 20)
organisation = Organisation.objects.create(name="Rīgas dome", slug="riga", kind="authority")
Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)
survey = create_survey(organisation=organisation, user=user, title="Café", languages=["en"],
    opens_on=datetime.date(2020, 1, 1), closes_on=datetime.date(2099, 1, 1), bank_ids=[])
print(signed_in_session(user), survey.token, AccessToken.issue(organisation, user, "t")[1])
"""


def seed(env) -> tuple[str, str, str]:
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEED],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    session, survey, token = output.split()[-3:]
    return session, survey, token


def get(address: str, path: str, headers: dict) -> tuple[int, str]:
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def test_a_corrupt_sqlite_file_answers_503_everywhere(tmp_path):
    env = base_environment(workdir=tmp_path)
    manage(env, "migrate", "--no-input")
    manage(env, "import_content")
    session, survey, token = seed(env)
    database = tmp_path / "bench.sqlite3"
    routes = {
        "/healthz": {},
        "/en/organisations/": {"Cookie": f"sessionid={session}"},
        "/en/organisations/riga/": {"Cookie": f"sessionid={session}"},
        f"/s/{survey}/en/": {},
        "/api/v1/organisation": {"Authorization": f"Bearer {token}"},
    }
    with production_server(env, workers=2) as (address, _process):
        assert get(address, "/en/organisations/", routes["/en/organisations/"])[0] == 200
        assert get(address, "/api/v1/organisation", routes["/api/v1/organisation"])[0] == 200

    # What a failed disk or a half-copied file leaves behind: the header and the pages are gone.
    for leftover in tmp_path.glob("bench.sqlite3-*"):
        leftover.unlink()
    database.write_bytes(b"\x00garbage" * (database.stat().st_size // 8))

    with production_server(env, workers=2, healthy=False) as (address, _process):
        answers = {path: get(address, path, headers) for path, headers in routes.items()}
        # As in an outage, the handbook stays readable: it is served from the content files.
        handbook = [get(address, path, {})[0] for path in ("/en/", "/en/handbook/")]

    assert {path: status for path, (status, _body) in answers.items()} == dict.fromkeys(routes, 503)
    assert [path for path, (_status, body) in answers.items() if "Traceback" in body] == []
    assert handbook == [200, 200]
