"""Work done outside the request so that a page answers alike whatever the
database holds (see also stories.tasks).

"What do you hold about me?" (together.views.personal_data_request) must
not tell anyone whether an address is known: the view only enqueues
:func:`send_personal_data_link`, the same work for every address, and the
task looks the address up and emails it only when the site holds something
about it. Its stored arguments are emptied once it has run
(:func:`forget_arguments`): the site must not keep an address it was never
given to keep.
"""

from django.tasks import task, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from together import personal_data
from together.mail import queue_email
from together.rq_tasks import RQBackend, forget_job_arguments


@task(takes_context=True)
def send_personal_data_link(context, email, language):
    """Email ``email`` a signed, expiring link to everything the site holds
    about it, in ``language``; nothing when it holds nothing."""
    try:
        if personal_data.holdings(email):
            queue_email(
                to=email,
                template="together/email/personal_data",
                context={
                    "data_url": personal_data.data_url(email, language),
                    "valid_hours": personal_data.link_valid_for_hours(),
                },
                language=language,
            )
    finally:
        forget_arguments(context.task_result)


def forget_arguments(task_result):
    """Empty the stored arguments of ``task_result`` in the database queue
    (the worker then saves only its status and outcome, by update_fields)
    or in the Redis queue (the job, which is then never retried: see
    together.rq_tasks)."""
    backend = task_backends[task_result.backend]
    if isinstance(backend, DatabaseBackend):
        DBTaskResult.objects.filter(pk=task_result.id).update(args_kwargs={"args": [], "kwargs": {}})
    elif isinstance(backend, RQBackend):
        forget_job_arguments()
