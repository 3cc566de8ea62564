"""X-Served-By (together.middleware.ServedByMiddleware): the instance's name
from INSTANCE_NAME, and nothing at all without one."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_answer_names_the_instance_set_in_instance_name(client, settings):
    settings.INSTANCE_NAME = "web-2"

    response = client.get("/en/about/")

    assert response["X-Served-By"] == "web-2"


def test_an_error_page_names_the_instance_too(client, settings):
    settings.INSTANCE_NAME = "web-2"

    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert response["X-Served-By"] == "web-2"


def test_no_served_by_header_without_an_instance_name(client, settings):
    settings.INSTANCE_NAME = ""

    response = client.get("/en/about/")

    assert "X-Served-By" not in response
