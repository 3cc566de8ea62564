"""The campaigns admin, one module per aggregate like :mod:`campaigns.models`.

Every language of a text is edited on one form (:mod:`campaigns.admin.translated`);
state changes go through the models' methods, whose refusals
(:class:`together.refusals.Refusal`) are shown as messages.
"""

# Importing each module registers its admin (Django's autodiscovery imports
# this package only).
from campaigns.admin import campaign, event, paper, partner, pledge, press, stand  # noqa: F401
