"""Issue 4 figures: the practice library with 10,000 published practices (plus the handbook's
62), unfiltered, filtered and searched, 16 concurrent clients, production server, on SQLite
and on PostgreSQL. Issue 14: the library narrowed to a public network's collection
(BENCH_NETWORK_PRACTICES of the practices, 3,000 by default, submitted to it).

Run: .venv/bin/python bench/practices.py [sqlite|postgres ...]   (default: both)
"""

import contextlib
import os
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    TABLE_HEADER,
    base_environment,
    get,
    manage,
    production_server,
    run_load,
    setup_django,
    throwaway_postgres,
)

CLIENTS = 16
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
PRACTICES = int(os.environ.get("BENCH_PRACTICES", "10000"))
NETWORK_PRACTICES = int(os.environ.get("BENCH_NETWORK_PRACTICES", "3000"))
WORDS = [
    "valodu kafejnīca", "mentoringa programma", "darba tirgus", "mājokļu atbalsts", "skolu integrācija",
    "language café", "mentoring", "housing support", "job coaching", "peer support", "sports club",
    "women's group", "youth centre", "legal advice", "health mediators", "volunteer network",
]  # fmt: skip
COUNTRIES = ["LV", "EE", "LT", "DE", "IT", "FI", "PL", "SE", "NL", "ES", "FR", "AT"]
TYPES = ["authority", "ngo", "refugee_led", "faith", "education", "business", "partnership", "other"]
GROUPS = ["refugees", "asylum_seekers", "women", "children", "youth", "families", "host_community"]


def seed(count: int) -> None:
    """Published members' practices, built in memory and bulk-created in batches."""
    from django.utils import timezone

    from inclusion.handbook.services import get_handbook
    from inclusion.practices.models import Practice
    from inclusion.practices.versions import search_text_for

    random.seed(4)
    factors = [factor.id for area in get_handbook().edition("en").areas for factor in area.success_factors]
    now = timezone.now()
    batch = []
    for number in range(count):
        topic = random.choice(WORDS)
        countries = random.sample(COUNTRIES, random.randint(1, 2))
        groups = random.sample(GROUPS, random.randint(1, 3))
        factor = random.choice(factors)
        content = {
            "title": {"en": f"{topic.capitalize()} no. {number}", "lv": f"{topic.capitalize()} Nr. {number}"},
            "organisation_name": {"en": f"Organisation {number % 700}"},
            "city": {},
            "text": {"en": f"A practice about {topic}. " * 12},
            "countries": countries,
        }
        batch.append(
            Practice(
                is_published=True,
                published_at=now,
                title=content["title"],
                organisation_name=content["organisation_name"],
                text=content["text"],
                excerpt={"en": content["text"]["en"][:280]},
                area=factor.split(".")[0],
                success_factor=factor,
                organisation_type=random.choice(TYPES),
                countries=countries,
                target_groups=groups,
                country_index="|" + "|".join(countries) + "|",
                target_group_index="|" + "|".join(groups) + "|",
                search_text=search_text_for(content),
            )
        )
        if len(batch) == 1000:
            Practice.objects.bulk_create(batch)
            batch = []
    Practice.objects.bulk_create(batch)


def seed_network(count: int) -> None:
    """A public network whose collection holds ``count`` of the members' practices, every
    tenth featured."""
    from inclusion.networks.models import Network, NetworkPractice
    from inclusion.organisations.models import Organisation
    from inclusion.practices.models import Practice

    network = Network.objects.create(name="Bench network", slug="bench-network", is_public=True)
    organisation = Organisation.objects.create(name="Bench member", slug="bench-member")
    ids = Practice.objects.filter(handbook_key__isnull=True).order_by("pk").values_list("pk", flat=True)[:count]
    NetworkPractice.objects.bulk_create(
        [
            NetworkPractice(network=network, practice_id=pk, organisation=organisation, featured=number % 10 == 0)
            for number, pk in enumerate(ids)
        ],
        batch_size=1000,
    )


def measure(database: str):
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(throwaway_postgres()) if database == "postgres" else None
        env = base_environment(database_url)
        manage(env, "migrate", "--no-input")
        manage(env, "import_content")
        manage(env, "import_practices")
        setup_django(env)
        seed(PRACTICES)
        seed_network(NETWORK_PRACTICES)
        from django.db import connections

        connections.close_all()
        pages = [
            ("library, page 1", "/en/practices/"),
            ("library, page 50", "/en/practices/?page=50"),
            ("filtered: area + country + type", "/en/practices/?area=a2&country=LV&type=ngo"),
            ("searched: “kafejnica”", "/lv/practices/?q=kafejnica"),
            ("searched and filtered", "/lv/practices/?q=mentoringa&group=women&country=DE"),
            ("a network's practices", "/en/practices/?network=bench-network"),
            ("a network's practices, page 50", "/en/practices/?network=bench-network&page=50"),
            ("a network's, filtered: area + country", "/en/practices/?network=bench-network&area=a2&country=LV"),
            ("the network's page", "/en/networks/bench-network/"),
        ]
        results = []
        with production_server(env, workers=WORKERS) as (address, _process):
            for label, path in pages:
                results.append(run_load(address, f"{label} ({database})", get(path), CLIENTS, SECONDS))
        return results


def main():
    databases = sys.argv[1:] or ["sqlite", "postgres"]
    if len(databases) > 1:
        # Django is configured once per process: one child process per database.
        for database in databases:
            subprocess.run([sys.executable, __file__, database], check=True)
        return
    [database] = databases
    results = measure(database)
    print(
        f"\n{database}: {PRACTICES} published practices + 62 from the handbook; gunicorn, {WORKERS} sync "
        f"workers, {CLIENTS} concurrent clients, {SECONDS:.0f} s per phase\n"
    )
    print(TABLE_HEADER)
    for result in results:
        print(result.row())


if __name__ == "__main__":
    main()
