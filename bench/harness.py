"""Shared benchmark machinery: a production server on a temporary database, and a load client.

Everything runs on loopback and stops by itself: each load phase is bounded in time.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_environment(database_url: str | None = None, workdir: Path | None = None) -> dict[str, str]:
    workdir = workdir or Path(tempfile.mkdtemp(prefix="inclusion-bench-"))
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": "benchmark-only-secret",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
            "PDF_CACHE_DIR": str(workdir / "pdf"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def production_server(env: dict[str, str], workers: int = 4):
    """gunicorn, as deployed, on a free loopback port; stopped on exit."""
    port = free_port()
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "inclusion.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: kill_hard() reaches every worker
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield f"127.0.0.1:{port}", process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def kill_hard(process) -> None:
    """kill -9 the server and all its workers, as a crash or an OOM kill would."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@dataclass
class LoadResult:
    label: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(p) - 1]

    def row(self) -> str:
        return (
            f"| {self.label} | {self.rate:.0f} | {self.percentile(50):.1f} | {self.percentile(95):.1f} | "
            f"{self.requests} | {self.errors} |"
        )


TABLE_HEADER = "| what | requests/s | p50 ms | p95 ms | requests | errors |\n|---|---|---|---|---|---|"


def run_load(
    address: str, label: str, make_request, clients: int = 16, seconds: float = 10.0, warmup: float = 2.0
) -> LoadResult:
    """`clients` threads each send requests back to back for `seconds` (after a warm-up).

    make_request(connection, client_index, sequence) sends one request on an
    http.client connection and returns the response status.
    """
    host, port = address.split(":")
    latencies: list[float] = []
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()
    start = time.monotonic()
    measure_from = start + warmup
    stop_at = measure_from + seconds

    def client(index: int) -> None:
        sequence = 0
        while True:
            now = time.monotonic()
            if now >= stop_at:
                return
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            began = time.perf_counter()
            try:
                status = make_request(connection, index, sequence)
            except (OSError, http.client.HTTPException):
                status = 0
            finally:
                connection.close()
            elapsed = (time.perf_counter() - began) * 1000
            sequence += 1
            if time.monotonic() >= measure_from:
                with lock:
                    counts["requests"] += 1
                    latencies.append(elapsed)
                    if not 200 <= status < 400:
                        counts["errors"] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(label, counts["requests"], counts["errors"], seconds, latencies)


def get(path: str):
    def make_request(connection, index, sequence):
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status

    return make_request


@contextlib.contextmanager
def throwaway_postgres():
    """A PostgreSQL cluster in a temporary directory on a free loopback port (run as root:
    initdb and pg_ctl refuse root, so they run as the postgres user). Yields a DATABASE_URL."""
    import shutil

    initdb = shutil.which("initdb") or "/usr/lib/postgresql/15/bin/initdb"
    bindir = Path(os.path.realpath(initdb)).parent
    workdir = Path(tempfile.mkdtemp(prefix="inclusion-pg-"))
    shutil.chown(workdir, "postgres")
    port = free_port()

    def as_postgres(*command):
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, stdout=subprocess.DEVNULL)

    as_postgres(str(bindir / "initdb"), "-D", str(workdir / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8")
    as_postgres(
        str(bindir / "pg_ctl"), "-D", str(workdir / "data"), "-l", str(workdir / "log"), "-w",
        "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c max_connections=200", "start",
    )  # fmt: skip
    try:
        as_postgres(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "inclusion")
        yield f"postgres://postgres@127.0.0.1:{port}/inclusion"
    finally:
        as_postgres(str(bindir / "pg_ctl"), "-D", str(workdir / "data"), "-m", "fast", "stop")
        shutil.rmtree(workdir, ignore_errors=True)


def setup_django(env: dict[str, str]) -> None:
    """Use the benchmark's database from this process too (to seed data)."""
    os.environ.update(env)
    import django

    django.setup()
