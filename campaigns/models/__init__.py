"""Campaigns and what hangs off them, one module per aggregate.

``campaign`` (:class:`Campaign`, its hero image), ``pledge`` (:class:`Pledge`,
its sources, the per-country counters and the counter reads and repair that
``Campaign`` delegates to), ``event`` (:class:`Event`, :class:`SignUp`, the
waiting list), ``partner`` and ``press``. Each of the last four depends on
``campaign`` only, never on another: code that needs two aggregates imports
both from here. This package re-exports what migrations and the rest of the
project import (``__all__``), so ``from campaigns.models import X`` is the one
way in.
"""

from campaigns.models.campaign import Campaign
from campaigns.models.event import (
    Event,
    SignUp,
    SignUpError,
    SignUpGone,
    new_signup_secret,
    time_zone_choices,
)
from campaigns.models.partner import Partner, PartnerKind
from campaigns.models.pledge import (
    CampaignCountryCount,
    Pledge,
    PledgeSource,
    PledgeStateError,
    new_pledge_secret,
)
from campaigns.models.press import MediaKitItem, MediaKitItemKind, MediaKitUsage, PressContact, PressRelease

__all__ = [
    "Campaign",
    "CampaignCountryCount",
    "Event",
    "MediaKitItem",
    "MediaKitItemKind",
    "MediaKitUsage",
    "Partner",
    "PartnerKind",
    "Pledge",
    "PledgeSource",
    "PledgeStateError",
    "PressContact",
    "PressRelease",
    "SignUp",
    "SignUpError",
    "SignUpGone",
    # Named by migrations (field defaults and choices).
    "new_pledge_secret",
    "new_signup_secret",
    "time_zone_choices",
]
