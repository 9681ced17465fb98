from django.core.management.base import BaseCommand, CommandError

from inclusion.handbook.content import ContentError
from inclusion.handbook.services import get_handbook, import_content


class Command(BaseCommand):
    help = "Validate the handbook content files and mirror them into the database (idempotent)."

    def handle(self, *args, **options):
        try:
            handbook = get_handbook()
        except ContentError as error:
            raise CommandError(str(error)) from None
        report = import_content(handbook)
        self.stdout.write(
            f"Content version {report.version}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.retired} retired, {report.restored} restored."
        )
