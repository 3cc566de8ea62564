"""The moderators' workplace, one module per page of the admin.

Importing the package registers every admin (Django's autodiscover imports
``stories.admin``).
"""

from stories.admin.log import ModerationLogEntryAdmin, ReportAdmin
from stories.admin.story import StoryAdmin, StoryAdminForm
from stories.admin.translation import StoryTranslationAdmin

__all__ = ["ModerationLogEntryAdmin", "ReportAdmin", "StoryAdmin", "StoryAdminForm", "StoryTranslationAdmin"]
