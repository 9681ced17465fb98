from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inclusion.organisations.backup import BackupError, import_organisation


class Command(BaseCommand):
    help = (
        "Recreate an organisation from a file written by export_organisation. Refused if the organisation "
        "exists here, unless --as-copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON file")
        parser.add_argument(
            "--as-copy",
            action="store_true",
            help="import next to an organisation with the same address: the copy gets an address of its own",
        )

    def handle(self, file, as_copy=False, **options):
        try:
            organisation = import_organisation(Path(file).read_text(encoding="utf-8"), as_copy=as_copy)
        except (OSError, UnicodeDecodeError, BackupError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Imported {organisation.name} ({organisation.slug}).")
