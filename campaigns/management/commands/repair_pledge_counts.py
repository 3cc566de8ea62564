from django.core.management.base import BaseCommand

from campaigns.models import Campaign


class Command(BaseCommand):
    help = (
        "Check every campaign's pledge counters (total and per country) against the confirmed "
        "pledges, repair any difference and print what was fixed."
    )

    def handle(self, *args, **options):
        fixes = []
        for campaign in Campaign.objects.order_by("pk"):
            fixes += campaign.repair_pledge_counts()
        for fix in fixes:
            self.stdout.write(f"Fixed {fix}")
        self.stdout.write(
            f"{len(fixes)} counter(s) repaired." if fixes else "All pledge counters are correct."
        )
