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
from campaigns.models.press import PressRelease

__all__ = [
    "Campaign",
    "CampaignCountryCount",
    "Event",
    "Partner",
    "PartnerKind",
    "Pledge",
    "PledgeSource",
    "PledgeStateError",
    "PressRelease",
    "SignUp",
    "SignUpError",
    "SignUpGone",
    # Named by migrations (field defaults and choices).
    "new_pledge_secret",
    "new_signup_secret",
    "time_zone_choices",
]
