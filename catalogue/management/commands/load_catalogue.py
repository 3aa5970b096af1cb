from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.seeding import FixtureError, load_catalogue


class Command(BaseCommand):
    help = (
        "Load the shipped catalogue from fixtures/catalogue/*.json. Idempotent: records are "
        "matched by slug, and records edited since they were loaded are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", default=settings.CATALOGUE_FIXTURES_DIR, help="Folder of fixture files."
        )
        parser.add_argument(
            "--overwrite-edited",
            action="store_true",
            help="Also replace records that editors changed since they were loaded.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the fixtures and report; save nothing."
        )

    def handle(self, *args, fixtures, overwrite_edited, dry_run, **options):
        try:
            report = load_catalogue(fixtures, overwrite_edited=overwrite_edited, dry_run=dry_run)
        except FixtureError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
