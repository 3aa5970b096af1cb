from django.core.management.base import BaseCommand, CommandError

from catalogue import synthetic


class Command(BaseCommand):
    help = (
        "Add a synthetic catalogue of published initiatives for performance measurement "
        "(deterministic for a seed; slugs start with 'synthetic-' and every case cites the source "
        f"'{synthetic.SOURCE_TITLE}'), remove it (--purge), and/or export the published catalogue "
        "to SQLite for Datasette (--export-sqlite). Needs the shipped vocabularies (load_catalogue). "
        "Export table: " + synthetic.EXPORT_COLUMNS
    )

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=0, metavar="N", help="How many to add.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same catalogue.")
        parser.add_argument(
            "--purge",
            action="store_true",
            help="First remove the synthetic catalogue (only what this command made).",
        )
        parser.add_argument(
            "--export-sqlite",
            metavar="PATH",
            help="Then write the published catalogue to this SQLite file (replaced) with FTS5.",
        )

    def handle(self, *args, initiatives, seed, purge, export_sqlite, **options):
        if initiatives < 0:
            raise CommandError("--initiatives must be 0 or more.")
        if not (initiatives or purge or export_sqlite):
            raise CommandError("Nothing to do: give --initiatives N, --purge or --export-sqlite PATH.")
        try:
            if purge:
                initiatives_gone, organisations_gone, sectors_gone = synthetic.purge(stream=self.stderr)
                self.stdout.write(
                    f"Purged {initiatives_gone} initiatives, {organisations_gone} organisations, "
                    f"{sectors_gone} sectors."
                )
            if initiatives:
                organisations = synthetic.generate(initiatives, seed, stream=self.stderr)
                self.stdout.write(
                    f"Generated {initiatives} initiatives and {organisations} organisations (seed {seed})."
                )
            if export_sqlite:
                rows = synthetic.export_sqlite(export_sqlite, stream=self.stderr)
                self.stdout.write(f"Exported {rows} published initiatives to {export_sqlite}.")
        except synthetic.SyntheticError as error:
            raise CommandError(str(error)) from error
