"""Bring the networks' aggregate tables up to date: run by a timer (docs/deploy.md).

Idempotent; two machines may run it at once (a lease row lets one of them work, the other
exits at once)."""

from django.core.management.base import BaseCommand

from inclusion.networks.aggregates import refresh


class Command(BaseCommand):
    help = "Refresh the networks' aggregates (benchmarks, dashboards) from the rounds changed since the last run."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="rescore every round, not only the changed ones")

    def handle(self, *args, full=False, **options):
        result = refresh(full=full)
        if result is None:
            self.stdout.write("Another refresh is running; nothing done.")
            return
        self.stdout.write(
            f"Rescored {result.rounds} rounds of {result.organisations} organisations; "
            f"{result.benchmarks} benchmark rows, {result.network_rows} network rows."
        )
