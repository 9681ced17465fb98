"""Fault tests: real gunicorn servers on loopback, real process kills, a real PostgreSQL
restarted under traffic. Each test is bounded in time and runs in the normal suite."""

import http.client
import os
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest

# Each test brings its own server and database, so the CI pass on PostgreSQL (DATABASE_URL
# set) would only repeat the SQLite pass.
ON_POSTGRES_PASS = os.environ.get("DATABASE_URL", "").startswith("postgres")
SKIP_ON_POSTGRES_PASS = pytest.mark.skipif(
    ON_POSTGRES_PASS, reason="runs its own server and database; the suite's SQLite pass runs it"
)


def pytest_configure(config):
    config.addinivalue_line("markers", "faults: kills processes or restarts the database under traffic")


@pytest.fixture
def postgres_binaries():
    """initdb/pg_ctl run as the postgres user (root is needed for runuser): skipped where
    they are missing, except in CI, which installs them and must run these tests."""
    initdb = shutil.which("initdb") or "/usr/lib/postgresql/15/bin/initdb"
    missing = None
    if not Path(initdb).exists():
        missing = "PostgreSQL's initdb is not installed (apt-get install postgresql)"
    elif os.geteuid() != 0:
        missing = "starting a throwaway PostgreSQL needs root (it runs initdb as the postgres user)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the PostgreSQL fault tests: {missing}")
        pytest.skip(missing)


class Browser:
    """Just enough of a browser for the self-assessment: cookies, the CSRF token, a timeout."""

    def __init__(self, address: str, timeout: float = 10.0):
        self.host, port = address.split(":")
        self.port = int(port)
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method, path, form=None, headers=None):
        """(status, headers, body); status 0 when the connection failed."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}/"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), response.read().decode()
        except (OSError, http.client.HTTPException):
            return 0, {}, ""
        finally:
            connection.close()

    def start_assessment(self, title="Fault test") -> str:
        """A self-assessment without an account, unlocked in this browser's session."""
        if "csrftoken" not in self.cookies:
            self.request("GET", "/en/assessments/")
        status, _headers, body = self.request("POST", "/en/assessments/", {"title": title, "organisation_kind": "ngo"})
        assert status == 200, body
        return re.search(r"/en/assessments/([0-9a-f-]{36})/", body).group(1)

    def save_answer(self, public_id: str, item: str, value: str) -> tuple[int, dict, str]:
        return self.request("POST", f"/en/assessments/{public_id}/answers/", {"item": item, "value": value})


def acknowledged(status: int, body: str) -> bool:
    """What the person sees as saved: the autosave status says "Saved at …"."""
    return status == 200 and "Saved at" in body


def checklist_items() -> list[str]:
    """The checklist items an NGO answers, in order."""
    from inclusion.assessments.answers import applicable_items
    from inclusion.handbook.services import get_handbook

    return [item.id for area in get_handbook().edition("en").areas for item in applicable_items(area, "ngo")]
