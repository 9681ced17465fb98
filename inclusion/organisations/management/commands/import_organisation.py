from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inclusion.organisations.backup import BackupError, import_organisation


class Command(BaseCommand):
    help = "Recreate an organisation from a file written by export_organisation (on a fresh instance)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON file")

    def handle(self, file, **options):
        try:
            organisation = import_organisation(Path(file).read_text(encoding="utf-8"))
        except (OSError, BackupError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Imported {organisation.name} ({organisation.slug}).")
