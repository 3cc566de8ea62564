"""/metrics: Prometheus figures behind a bearer token (together/metrics.py)."""

import json
import re

import pytest
from django.urls import reverse
from prometheus_client import REGISTRY

from tests.campaigns.factories import CampaignFactory
from tests.stories.factories import StoryFactory
from tests.together.gunicorn_server import GunicornServer, get
from together.mail import queue_email

pytestmark = pytest.mark.django_db

TOKEN = "a-long-random-metrics-token"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client, token=TOKEN):
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"})


def sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0


def test_metrics_do_not_exist_without_a_configured_token(client):
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_metrics_are_refused_without_a_token(client, metrics_token):
    response = client.get("/metrics")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'


@pytest.mark.parametrize("authorization", [f"Bearer {TOKEN}x", "Bearer", f"Basic {TOKEN}", TOKEN])
def test_metrics_are_refused_with_a_wrong_token(client, metrics_token, authorization):
    assert client.get("/metrics", headers={"Authorization": authorization}).status_code == 401


def test_metrics_are_served_with_the_token_and_never_cached(client, metrics_token):
    response = scrape(client)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in response["Cache-Control"]


def test_metrics_name_every_figure_the_runbook_explains(client, metrics_token):
    client.get("/healthz")

    names = set(re.findall(r"^# TYPE (\w+)", scrape(client).text, re.MULTILINE))

    assert {
        "together_http_request_duration_seconds",
        "together_email_deliveries_total",
        "together_database_up",
        "together_email_queue_depth",
        "together_email_queue_oldest_seconds",
        "together_pledges_confirmed",
        "together_stories_awaiting_review",
    } <= names


def test_request_latency_is_labelled_by_route_name_not_path(client, metrics_token):
    story = StoryFactory()
    private_path = reverse("stories:story_manage", args=[story.manage_token()])
    before = sample(
        "together_http_request_duration_seconds_count",
        view="stories:story_manage",
        method="GET",
        status="2xx",
    )

    client.get(private_path)

    after = sample(
        "together_http_request_duration_seconds_count",
        view="stories:story_manage",
        method="GET",
        status="2xx",
    )
    assert after == before + 1
    assert story.manage_token() not in scrape(client).text


def test_requests_are_not_timed_without_a_token(client):
    before = sample(
        "together_http_request_duration_seconds_count", view="healthz", method="GET", status="2xx"
    )

    client.get("/healthz")

    assert (
        sample("together_http_request_duration_seconds_count", view="healthz", method="GET", status="2xx")
        == before
    )


def test_scrape_reads_pledges_stories_and_the_email_queue_from_the_database(
    client, metrics_token, settings, test_templates
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    CampaignFactory(slug="together", confirmed_pledges=1250)
    StoryFactory.create_batch(3)
    StoryFactory(published=True)
    queue_email(to="amina@example.org", template="tests/email/hello", context={"name": "Amina"})

    text = scrape(client).text

    assert 'together_pledges_confirmed{campaign="together"} 1250.0' in text
    assert "together_stories_awaiting_review 3.0" in text
    assert "together_email_queue_depth 1.0" in text
    assert "together_task_queue_depth 1.0" in text
    assert "together_database_up 1.0" in text


def test_a_delivered_email_is_counted_as_sent(test_templates):
    before = sample("together_email_deliveries_total", outcome="sent")

    queue_email(to="amina@example.org", template="tests/email/hello", context={"name": "Amina"})

    assert sample("together_email_deliveries_total", outcome="sent") == before + 1


def test_a_failed_delivery_is_counted_as_a_failure(test_templates, settings, closed_port):
    backend = "django.core.mail.backends.smtp.EmailBackend"
    settings.MAILERS = {
        "default": {"BACKEND": backend, "OPTIONS": {"host": "127.0.0.1", "port": closed_port}}
    }
    before = {
        outcome: sample("together_email_deliveries_total", outcome=outcome) for outcome in ("sent", "failed")
    }

    queue_email(to="amina@example.org", template="tests/email/hello", context={"name": "Amina"})

    after = {
        outcome: sample("together_email_deliveries_total", outcome=outcome) for outcome in ("sent", "failed")
    }
    assert after == {"sent": before["sent"], "failed": before["failed"] + 1}


@pytest.mark.slow
def test_gunicorn_workers_figures_are_added_up_in_one_scrape(tmp_path):
    """Two workers, each answering some of the requests: the scrape counts
    them all (PROMETHEUS_MULTIPROC_DIR, made by together/gunicorn.conf.py)."""
    server = GunicornServer(tmp_path, METRICS_TOKEN=TOKEN, LOG_FORMAT="json")
    server.start()
    try:
        for _ in range(20):
            get(f"{server.url}/healthz")
        status, _, body = get(f"{server.url}/metrics", Authorization=f"Bearer {TOKEN}")
    finally:
        server.stop()
    access = [json.loads(line) for line in server.log().splitlines() if '"GET /healthz ' in line]

    assert status == 200
    counts = re.findall(
        r'^together_http_request_duration_seconds_count\{method="GET",status="2xx",view="healthz"\} (\S+)$',
        body.decode(),
        re.MULTILINE,
    )
    # 20 here, and the start-up probe's one or more.
    assert len(counts) == 1
    assert float(counts[0]) >= 20
    # LOG_FORMAT=json: gunicorn's access lines too, each ending with its request id.
    assert len(access) >= 20
    assert all(
        re.fullmatch(r'"GET /healthz HTTP/1.1" 200 \d+ \S+s [0-9a-f]{32}', a["message"]) for a in access
    )
