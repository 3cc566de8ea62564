from django.core.management.base import BaseCommand, CommandError

from together.migration_safety import RELEASED_FILE, problems, unreleased


class Command(BaseCommand):
    help = (
        "Check that the migrations not released yet can run while the older version serves "
        "(expand, deploy, contract: see together/migration_safety.py). --mark-released, once a "
        "release is out, adds its migrations to together/released_migrations.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--mark-released", action="store_true", help="Record every current migration as released."
        )

    def handle(self, *args, mark_released=False, **options):
        if found := problems():
            raise CommandError("Unsafe for a zero-downtime release:\n" + "\n".join(found))
        _, keys = unreleased()
        if not mark_released:
            self.stdout.write(f"{len(keys)} unreleased migrations, all safe.")
            return
        with RELEASED_FILE.open("a") as file:
            file.writelines(f"{app_label}.{name}\n" for app_label, name in keys)
        self.stdout.write(f"Recorded {len(keys)} migrations as released in {RELEASED_FILE.name}.")
