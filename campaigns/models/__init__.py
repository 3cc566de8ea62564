"""Campaigns and what hangs off them, one module per aggregate.

``campaign`` (:class:`Campaign`, its hero image), ``pledge`` (:class:`Pledge`,
its sources, the per-country counters and the counter reads and repair that
``Campaign`` delegates to), ``event`` (:class:`Event`, :class:`SignUp`, the
waiting list), ``partner``, ``press`` and ``paper`` (:class:`PaperBatch`,
paper pledge forms counted apart). Each of the last five depends on
``campaign`` only, never on another (``paper`` names ``Event`` by its label,
without importing it; ``stand``, the stand links of events, depends on
``event``; a pledge names its partner and event by model name): code that
needs two aggregates imports
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
from campaigns.models.paper import PaperBatch, PaperBatchError
from campaigns.models.partner import Partner, PartnerKind
from campaigns.models.pledge import (
    CampaignCountryCount,
    CampaignPartnerCount,
    Pledge,
    PledgeSource,
    PledgeStateError,
    new_pledge_secret,
)
from campaigns.models.press import MediaKitItem, MediaKitItemKind, MediaKitUsage, PressContact, PressRelease
from campaigns.models.stand import StandLink, StandLinkError, new_stand_secret

__all__ = [
    "Campaign",
    "CampaignCountryCount",
    "CampaignPartnerCount",
    "Event",
    "MediaKitItem",
    "MediaKitItemKind",
    "MediaKitUsage",
    "PaperBatch",
    "PaperBatchError",
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
    "StandLink",
    "StandLinkError",
    # Named by migrations (field defaults and choices).
    "new_pledge_secret",
    "new_signup_secret",
    "new_stand_secret",
    "time_zone_choices",
]
