"""The admin's list of the Redis queue's failed tasks, to retry or delete them.

What it lists is RQ's failed-job registry (together.rq_tasks): a task lands
there once it failed and RQ will not retry it any more. An email that failed
stays in the outbox and is retried by it whatever happens here (retrying it
here as well is harmless: the outbox's lease sends it once).

Shown only when the Redis queue is the task backend, and only to users with
``together.manage_failed_tasks`` (superusers have it). Never more than
:data:`SHOWN` tasks: the page costs the same however many failed. Redis
unreachable: the page says so (no 500). With the database queue, failed tasks
are in "Task results" (django-tasks-db's admin, read-only).
"""

from datetime import UTC, datetime

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from redis import RedisError
from rq.exceptions import NoSuchJobError
from rq.registry import FailedJobRegistry

from together.models import FailedTask
from together.rq_tasks import Job, RQBackend

SHOWN = 100


def redis_backend():
    from django.tasks import task_backends

    backend = task_backends["default"]
    return backend if isinstance(backend, RQBackend) else None


def failed_tasks(backend):
    """The most recently failed tasks first, at most SHOWN, and how many failed in all."""
    rows, total = [], 0
    for queue in backend.rq_queues():
        registry = FailedJobRegistry(queue=queue)
        total += registry.count
        ids = registry.get_job_ids(0, SHOWN - 1, desc=True)
        for job in Job.fetch_many(ids, connection=backend.connection):
            if job is not None:
                latest = job.latest_result()
                error = (latest.exc_string or "").strip().splitlines()[-1:] if latest else []
                rows.append(
                    {
                        "id": job.id,
                        "task": job.func_name,
                        "queue": queue.name,
                        "failed_at": job.ended_at,
                        "error": error[0] if error else "",
                    }
                )
    rows.sort(key=lambda row: row["failed_at"] or datetime.min.replace(tzinfo=UTC), reverse=True)
    return rows[:SHOWN], total


@admin.register(FailedTask)
class FailedTaskAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return redis_backend() is not None and request.user.has_perm("together.manage_failed_tasks")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        backend = redis_backend()
        if request.method == "POST":
            self.act(request, backend)
            return HttpResponseRedirect(request.path)
        try:
            rows, total = failed_tasks(backend)
            reachable = True
        except RedisError:
            rows, total, reachable = [], 0, False
        context = {
            **self.admin_site.each_context(request),
            "title": _("Failed tasks"),
            "opts": self.model._meta,
            "rows": rows,
            "total": total,
            "reachable": reachable,
        }
        return TemplateResponse(request, "admin/together/failedtask/change_list.html", context)

    def act(self, request, backend):
        job_id, action = request.POST.get("job", ""), request.POST.get("action")
        try:
            registries = [FailedJobRegistry(queue=queue) for queue in backend.rq_queues()]
            registry = next((r for r in registries if job_id and job_id in r), None)
            if registry is None:
                messages.warning(request, _("That task is no longer in the list."))
            elif action == "retry":
                registry.requeue(job_id)
                messages.success(request, _("The task was queued again."))
            elif action == "delete":
                try:
                    Job.fetch(job_id, connection=backend.connection).delete()
                except NoSuchJobError:
                    registry.remove(job_id)
                messages.success(request, _("The task was deleted."))
        except RedisError:
            messages.error(request, _("The Redis queue cannot be reached right now."))
