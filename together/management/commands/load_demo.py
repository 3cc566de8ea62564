from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = (
        "Load the demo content: each of the project's apps may have a `demo` module "
        "whose load() creates its part. Idempotent: running it again changes nothing."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo content includes accounts with published passwords; "
                "it is for development only (DEBUG is off)."
            )
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                if app_config.path.startswith(str(settings.BASE_DIR)) and module_has_submodule(
                    app_config.module, "demo"
                ):
                    import_module(f"{app_config.name}.demo").load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is loaded."))
