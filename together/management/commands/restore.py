from django.core.management.base import BaseCommand, CommandError

from together.backups import BackupError, renditions_without_file, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an EMPTY database and media folder "
        "(anything else is refused), then check every table's row count, the pledge counters "
        "and the media files against its manifest (see together/backups.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup's folder, e.g. var/backups/20261205T131500Z.")

    def handle(self, *args, folder, **options):
        try:
            manifest = restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for name in renditions_without_file(manifest):
            self.stderr.write(f"Named by the database but erased before the media were copied: {name}")
        tables = manifest["tables"]
        self.stdout.write(
            f"Restored {folder}: {len(tables)} tables, {sum(tables.values())} rows, "
            f"{len(manifest['media'].get('files', {}))} media files, all as in the manifest."
        )
