"""`manage.py send_digests`: queue the daily digest of submissions for the worker. Run it once a
day (cron, a systemd timer; README, "Mail"): the worker has no scheduler of its own."""

from django.core.management.base import BaseCommand

from workflow.notifications import send_digests


class Command(BaseCommand):
    help = "Queue the daily digest mail for everyone who chose it (run once a day)."

    def handle(self, *args, **options):
        result = send_digests.enqueue()
        self.stdout.write(f"Daily digest queued (task {result.id}).")
