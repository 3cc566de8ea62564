"""The moderators' workplace, one module per page of the admin: the stories
(:mod:`~stories.admin.story`, whose list is the queue of
:mod:`~stories.admin.queue`: its columns, filters, claims and a moderator's
daily limit), their translations
(:mod:`~stories.admin.translation`), storytellers' proposed changes to
published stories (:mod:`~stories.admin.revision`), readers' reports and the moderation log
(:mod:`~stories.admin.log`); the moderation buttons, the view that runs them
and the bulk-action helper are shared (:mod:`~stories.admin.actions`).

Every change of status goes through a method of the model, which checks it
against the model's transition table and logs it; the admin never sets a
status itself, and opening a page (GET) never changes anything. Importing the
package registers every admin (Django's autodiscover imports ``stories.admin``).
"""

from stories.admin.log import ModerationLogEntryAdmin, ReportAdmin
from stories.admin.revision import StoryRevisionAdmin
from stories.admin.story import StoryAdmin, StoryAdminForm
from stories.admin.translation import StoryTranslationAdmin

__all__ = [
    "ModerationLogEntryAdmin",
    "ReportAdmin",
    "StoryAdmin",
    "StoryAdminForm",
    "StoryRevisionAdmin",
    "StoryTranslationAdmin",
]
