from django.core.management.base import BaseCommand

from together.media_sweep import sweep


class Command(BaseCommand):
    help = (
        "Delete stored images that no row names any more (a deletion that failed, an upload "
        "that never saved), once an hour old (see together/media_sweep.py). Safe from cron at "
        "any time. --dry-run only lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be deleted.")

    def handle(self, *args, dry_run=False, **options):
        names = sweep(dry_run=dry_run)
        for name in names:
            self.stdout.write(f"{'Would delete' if dry_run else 'Deleted'} {name}")
        self.stdout.write(f"{len(names)} unreferenced files.")
