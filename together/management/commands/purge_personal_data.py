from django.core.management.base import BaseCommand

from together.retention import purge


class Command(BaseCommand):
    help = (
        "Erase the personal data whose retention period has passed (see together/retention.py "
        "and the RETENTION_* settings). Safe to run from cron at any time, daily or more often: "
        "each row is re-checked under its lock and erased once. --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be erased; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        verb = "Would erase" if dry_run else "Erased"
        for name, count in purge(dry_run=dry_run):
            self.stdout.write(f"{verb} {count}: {name}")
