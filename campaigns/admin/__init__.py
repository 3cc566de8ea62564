# Importing each module registers its admin (Django's autodiscovery imports
# this package only).
from campaigns.admin import campaign, event, partner, pledge, press  # noqa: F401
