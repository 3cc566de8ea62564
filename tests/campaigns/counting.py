"""The pledge counters as the site keeps them, and as the pledges say they should be."""

from campaigns.models import Campaign, CampaignCountryCount, Pledge


def counters(campaign):
    campaign = Campaign.objects.get(pk=campaign.pk)
    rows = CampaignCountryCount.objects.filter(campaign=campaign, count__gt=0)
    return campaign.confirmed_pledges, {row.country.code: row.count for row in rows}


def true_counts(campaign):
    confirmed = Pledge.objects.confirmed().filter(campaign=campaign)
    by_country = {}
    for pledge in confirmed:
        by_country[pledge.country.code] = by_country.get(pledge.country.code, 0) + 1
    return confirmed.count(), by_country
