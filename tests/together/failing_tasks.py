"""Tasks for the queue tests (module-level, as the task framework requires)."""

from django.tasks import task


@task
def always_fails():
    raise RuntimeError("This task always fails.")


@task
def adds(a, b):
    return a + b
