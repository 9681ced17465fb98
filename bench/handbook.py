"""Issue 2 figures: a key area page against a minimal Django view, and the handbook PDF build time.

Run: .venv/bin/python bench/handbook.py  (or `make bench`)
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import TABLE_HEADER, base_environment, get, manage, production_server, run_load

CLIENTS = 16
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


def pdf_build_seconds(env) -> dict[str, float]:
    """Build the whole handbook PDF in-process, uncached, once per language."""
    os.environ.update(env)
    import django

    django.setup()
    from inclusion.handbook.pdf import build_handbook_pdf

    timings = {}
    for language in ("lv", "en"):
        began = time.perf_counter()
        data = build_handbook_pdf(language)
        timings[language] = time.perf_counter() - began
        assert data.startswith(b"%PDF")
    return timings


def main() -> None:
    env = base_environment()
    manage(env, "migrate", "--no-input")
    manage(env, "import_content")
    with production_server(env, workers=WORKERS) as (address, _process):
        minimal = run_load(address, "minimal Django view", get("/bench/minimal"), CLIENTS, SECONDS)
        area = run_load(
            address, "key area 4 page (/lv/handbook/areas/4/)", get("/lv/handbook/areas/4/"), CLIENTS, SECONDS
        )
    print(f"gunicorn, {WORKERS} sync workers, SQLite, {CLIENTS} concurrent clients, {SECONDS:.0f} s per phase\n")
    print(TABLE_HEADER)
    print(minimal.row())
    print(area.row())
    print(f"\nArea page throughput = {100 * area.rate / minimal.rate:.0f}% of the minimal view's.")
    timings = pdf_build_seconds(env)
    for language, seconds in timings.items():
        print(f"Full handbook PDF ({language}), built uncached: {seconds:.1f} s")


if __name__ == "__main__":
    main()
