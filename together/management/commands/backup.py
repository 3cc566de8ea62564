from django.core.management.base import BaseCommand, CommandError

from together.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump -Fc, one consistent snapshot), the media "
        "(filesystem storage) and a manifest of row counts, pledge counters and media files "
        "to var/backups/<UTC time>/ (see together/backups.py). The site keeps running."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", help="The folder to create (default: var/backups/<UTC time>).")

    def handle(self, *args, to=None, **options):
        try:
            folder = backup(to)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up to {folder}")
