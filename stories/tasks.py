"""Work done outside the request, so that a page answers alike whatever the
database holds.

"Send my links again" (stories.views.story_manage_request) must not tell
anyone whether an address shared a story: not by its words, and not by its
timing either. The view therefore only enqueues :func:`send_manage_links`,
the same work for every address; the lookup and the email happen in the
task (in production, in the worker).

The address typed in is the task's argument, stored by the database queue
with the task. It must not stay there (for an unknown address the site would
keep what it was never given to keep): once the task has run, its stored
arguments are emptied, whatever the outcome. The email itself, when there is
one, lives in the outbox like every other (together.mail).
"""

from django.tasks import task

from stories.models import Story
from together.mail import queue_email
from together.tasks import forget_arguments


@task(takes_context=True)
def send_manage_links(context, email, language):
    """Email the private links of the stories sent with ``email``, in any
    spelling of that mailbox (``StoryQuerySet.of_storyteller``), that can
    still be managed, in ``language``; nothing when there are none. The
    email goes to the address as typed now: the same mailbox."""
    try:
        stories = list(Story.objects.of_storyteller(email).order_by("submitted_at"))
        if stories:
            links = [(story.title, story.manage_url()) for story in stories]
            queue_email(
                to=email,
                template="stories/email/manage_links",
                context={"links": links},
                language=language,
                holds_private_link=True,
            )
    finally:
        forget_arguments(context.task_result)
