"""Every save the user was told succeeded survives the server being killed (kill -9)."""

import http.client
import os
import re
import sqlite3
import urllib.parse

import pytest

from bench.harness import base_environment, kill_hard, manage, production_server

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="this test runs its own SQLite server"
)


class Browser:
    """Just enough of a browser: cookies and the CSRF token."""

    def __init__(self, address):
        self.host, port = address.split(":")
        self.port = int(port)
        self.cookies = {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=20)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}/"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        content = response.read().decode()
        connection.close()
        return response.status, response.getheader("Location"), content


def test_acknowledged_answers_survive_kill_9(tmp_path):
    env = base_environment(workdir=tmp_path)
    manage(env, "migrate", "--no-input")
    manage(env, "import_content")
    acknowledged = {}
    with production_server(env, workers=2) as (address, process):
        browser = Browser(address)
        browser.request("GET", "/en/assessments/")
        status, _location, body = browser.request(
            "POST", "/en/assessments/", {"title": "Durable", "organisation_kind": "ngo"}
        )
        assert status == 200
        public_id = re.search(r"/en/assessments/([0-9a-f-]{36})/", body).group(1)
        for number in range(1, 11):
            item = f"a1.c{number}"
            value = ["yes", "partly", "no"][number % 3]
            status, _location, body = browser.request(
                "POST", f"/en/assessments/{public_id}/answers/", {"item": item, "value": value}
            )
            if status == 200 and "Saved at" in body:
                acknowledged[item] = value
        kill_hard(process)
    assert len(acknowledged) == 10
    with sqlite3.connect(tmp_path / "bench.sqlite3") as database:
        stored = dict(database.execute("SELECT item_key, value FROM assessments_answer").fetchall())
    assert stored == acknowledged
