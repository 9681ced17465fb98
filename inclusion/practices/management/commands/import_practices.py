from django.core.management.base import BaseCommand

from inclusion.handbook.services import get_handbook
from inclusion.practices.handbook_examples import import_handbook_practices


class Command(BaseCommand):
    help = "Import the handbook's good-practice examples into the practice library (idempotent)."

    def handle(self, *args, **options):
        report = import_handbook_practices(get_handbook())
        self.stdout.write(
            f"Practices: {report.created} created, {report.updated} updated, {report.unchanged} unchanged."
        )
