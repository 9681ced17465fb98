from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inclusion.organisations.backup import export_organisation
from inclusion.organisations.models import Organisation


class Command(BaseCommand):
    help = "Write everything of one organisation as JSON (to stdout, or to --output)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the organisation's address, e.g. riga-city")
        parser.add_argument("--output", "-o", help="file to write instead of stdout")

    def handle(self, slug, output=None, **options):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"No organisation with the address {slug!r}.")
        text = export_organisation(organisation)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text)
