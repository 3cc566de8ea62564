"""The admin's list of the Redis queue's failed tasks (together.rq_admin)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rq.registry import FailedJobRegistry

from tests.together.failing_tasks import always_fails
from tests.together.task_queues import redis_queue, run_rq_worker, start_redis_queue, use_database_queue

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

URL = reverse("admin:together_failedtask_changelist")


@pytest.fixture
def redis_server(settings, tmp_path):
    server = start_redis_queue(settings, tmp_path, retry={"max": 0, "intervals": []})
    yield server
    server.stop()


@pytest.fixture
def failed(redis_server):
    """The id of a task that failed."""
    queued = always_fails.enqueue()
    run_rq_worker()
    return queued.id


def staff(django_user_model, *, may_manage):
    user = django_user_model.objects.create_user("volunteer", password="a long passphrase", is_staff=True)
    if may_manage:
        user.user_permissions.add(Permission.objects.get(codename="manage_failed_tasks"))
    return user


def failed_ids():
    return FailedJobRegistry(queue=redis_queue().queue("default")).get_job_ids()


def test_staff_with_the_permission_see_the_failed_task_and_its_error(client, django_user_model, failed):
    client.force_login(staff(django_user_model, may_manage=True))

    page = client.get(URL).content.decode()

    assert failed in page
    assert "RuntimeError: This task always fails." in page


def test_staff_without_the_permission_are_refused_the_list(client, django_user_model, failed):
    client.force_login(staff(django_user_model, may_manage=False))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"job": failed, "action": "delete"}).status_code == 403
    assert failed_ids() == [failed]


def test_retry_puts_the_failed_task_back_in_the_queue(client, admin_user, failed):
    client.force_login(admin_user)

    response = client.post(URL, {"job": failed, "action": "retry"})

    assert response.status_code == 302
    assert failed_ids() == []
    assert redis_queue().queue("default").job_ids == [failed]


def test_delete_removes_the_failed_task_from_redis(client, admin_user, failed, redis_server):
    client.force_login(admin_user)

    client.post(URL, {"job": failed, "action": "delete"})

    assert failed_ids() == []
    assert not redis_server.client().exists(f"rq:job:{failed}")


def test_the_list_says_redis_cannot_be_reached_when_it_is_down(client, admin_user, redis_server):
    client.force_login(admin_user)
    redis_server.stop()

    response = client.get(URL)

    assert response.status_code == 200
    assert "The Redis queue cannot be reached right now." in response.content.decode()


def test_the_list_is_not_offered_with_the_database_queue(client, admin_user, settings):
    use_database_queue(settings)
    client.force_login(admin_user)

    assert URL not in client.get(reverse("admin:index")).content.decode()
    assert client.get(URL).status_code == 403
