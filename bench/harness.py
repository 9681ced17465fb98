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
def production_server(env: dict[str, str], workers: int = 4, healthy: bool = True, start_timeout: float = 30):
    """gunicorn, as deployed, on a free loopback port; stopped on exit. Ready once /healthz
    says 200 (with `healthy=False`, once it answers at all: a test of a broken database)."""
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
        deadline = time.monotonic() + float(os.environ.get("BENCH_START_SECONDS", start_timeout))
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            try:
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200 or not healthy:
                    break
            except OSError:
                pass  # not listening yet
            finally:
                connection.close()  # also when it failed: an unclosed socket is a ResourceWarning
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
    with postgres_cluster() as cluster:
        yield cluster.url


class PostgresCluster:
    """A throwaway cluster that a test can also stop and start again (a database outage)."""

    def __init__(self, bindir: Path, workdir: Path, port: int):
        self.bindir = bindir
        self.workdir = workdir
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}/inclusion"

    def run(self, tool: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """One of the cluster's own tools (pg_dump, psql, …) as the postgres user."""
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        return subprocess.run(["runuser", "-u", "postgres", "--", str(self.bindir / tool), *args], check=True, **kwargs)

    def client(self, tool: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """A client tool connected to this cluster: client("psql", "-d", "inclusion", …)."""
        return self.run(tool, "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *args, **kwargs)

    def start(self) -> None:
        self.run(
            "pg_ctl", "-D", str(self.workdir / "data"), "-l", str(self.workdir / "log"), "-w",
            "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.workdir} -c max_connections=200", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.workdir / "data"), "-m", mode, "-w", "stop")


@contextlib.contextmanager
def postgres_cluster():
    """A started PostgreSQL cluster with an empty database "inclusion"; removed on exit."""
    import shutil

    initdb = shutil.which("initdb") or "/usr/lib/postgresql/15/bin/initdb"
    bindir = Path(os.path.realpath(initdb)).parent
    workdir = Path(tempfile.mkdtemp(prefix="inclusion-pg-"))
    shutil.chown(workdir, "postgres")
    cluster = PostgresCluster(bindir, workdir, free_port())
    cluster.run("initdb", "-D", str(workdir / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8")
    cluster.start()
    try:
        cluster.client("createdb", "inclusion")
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def setup_django(env: dict[str, str]) -> None:
    """Use the benchmark's database from this process too (to seed data)."""
    os.environ.update(env)
    import django

    django.setup()


# --- The server's processes ---------------------------------------------------------------


def _stat_fields(pid: int) -> list[str]:
    """Fields of /proc/<pid>/stat after the command name (which may hold spaces)."""
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def process_group(pgid: int) -> list[int]:
    """Every live process in a process group: the gunicorn master and its workers."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError):
                fields = _stat_fields(int(entry))
                if int(fields[2]) == pgid and fields[0] != "Z":
                    members.append(int(entry))
    return sorted(members)


def worker_pids(master) -> list[int]:
    """The gunicorn workers of a master process (its live children)."""
    workers = []
    for pid in process_group(master.pid):
        with contextlib.suppress(OSError, IndexError):
            if pid != master.pid and int(_stat_fields(pid)[1]) == master.pid:
                workers.append(pid)
    return workers


def rss_kib(pid: int) -> int:
    """Resident memory of a process (VmRSS in /proc/<pid>/status), in KiB; 0 once it is gone."""
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# --- Open-loop load: a fixed request rate, whatever the server's response time -----------------


@dataclass
class OpenLoopResult(LoadResult):
    """LoadResult of a fixed-rate run. Latencies count from when each request was due, so
    time spent waiting for a free client thread counts too (no coordinated omission)."""

    target_rate: float = 0.0
    by_kind: dict | None = None  # kind -> latencies in ms
    errors_by_kind: dict | None = None
    timeline: list | None = None  # (seconds after the start when due, latency ms or None, ok)

    def windows(self, seconds: float) -> list[tuple[float, int, int, float]]:
        """(window start, requests, errors, p95 ms) per `seconds`-long window of the run."""
        buckets: dict[int, list] = {}
        for due, latency, ok in self.timeline or []:
            buckets.setdefault(int(due // seconds), []).append((latency, ok))
        rows = []
        for index in sorted(buckets):
            entries = buckets[index]
            latencies = sorted(latency for latency, _ok in entries if latency is not None)
            p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] if latencies else float("nan")
            rows.append((index * seconds, len(entries), sum(1 for _l, ok in entries if not ok), p95))
        return rows

    def kind_percentile(self, kind: str, p: float) -> float:
        latencies = (self.by_kind or {}).get(kind, [])
        if len(latencies) < 2:
            return latencies[0] if latencies else float("nan")
        return statistics.quantiles(latencies, n=100, method="inclusive")[int(p) - 1]


def run_open_loop(
    address: str,
    label: str,
    choose_request,
    rate: float,
    seconds: float,
    threads: int = 64,
    timeout: float = 10.0,
) -> OpenLoopResult:
    """Start `rate` requests per second for `seconds`, each on its own connection, spread
    evenly in time; `threads` client threads send them.

    choose_request(sequence) returns (kind, make_request), where make_request(connection)
    sends one request and returns the response status. A request still waiting for a client
    thread `timeout` seconds after it was due is counted as an error without being sent, so
    an overloaded run ends soon after `seconds`.
    """
    import queue

    host, port = address.split(":")
    jobs: queue.Queue = queue.Queue()
    lock = threading.Lock()
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {}
    errors_by_kind: dict[str, int] = {}
    timeline: list[tuple[float, float | None, bool]] = []
    counts = {"requests": 0, "errors": 0}
    total = int(rate * seconds)
    start = time.monotonic() + 0.1

    def record(kind: str, due: float, elapsed_ms: float | None, ok: bool) -> None:
        with lock:
            timeline.append((due - start, elapsed_ms, ok))
            counts["requests"] += 1
            if elapsed_ms is not None:
                latencies.append(elapsed_ms)
                by_kind.setdefault(kind, []).append(elapsed_ms)
            if not ok:
                counts["errors"] += 1
                errors_by_kind[kind] = errors_by_kind.get(kind, 0) + 1

    def client() -> None:
        while True:
            job = jobs.get()
            if job is None:
                return
            due, kind, make_request = job
            if time.monotonic() - due > timeout:
                record(kind, due, None, False)
                continue
            connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
            try:
                status = make_request(connection)
            except (OSError, http.client.HTTPException):
                status = 0
            finally:
                connection.close()
            record(kind, due, (time.monotonic() - due) * 1000, 200 <= status < 400)

    workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for sequence in range(total):
        due = start + sequence / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        kind, make_request = choose_request(sequence)
        jobs.put((due, kind, make_request))
    for _ in workers:
        jobs.put(None)
    for worker in workers:
        worker.join()
    return OpenLoopResult(
        label, counts["requests"], counts["errors"], seconds, latencies,
        target_rate=rate, by_kind=by_kind, errors_by_kind=errors_by_kind, timeline=sorted(timeline),
    )  # fmt: skip


def signed_in_session(user) -> str:
    """A database session for the user, as if they had signed in: its key for the cookie."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
