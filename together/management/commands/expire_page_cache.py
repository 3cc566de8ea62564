"""``manage.py expire_page_cache``: no page cached before now is served again.

For what changes public pages without a model's save() or delete(): a
release with new templates or code, a setting, data changed in SQL. Starts a
new content generation (together.pagecache) on every instance at once;
nothing is deleted (old entries expire by themselves).
"""

from django.core.management.base import BaseCommand

from together import pagecache


class Command(BaseCommand):
    help = "Start a new page-cache generation: every instance stops serving the pages cached before."

    def handle(self, *args, **options):
        pagecache.content_changed()
        self.stdout.write("Page cache expired.")
