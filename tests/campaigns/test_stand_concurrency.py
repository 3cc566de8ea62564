"""Stand links changed by two coordinators at the same instant."""

import pytest

from campaigns.models import StandLink
from tests.campaigns.factories import StandLinkFactory
from tests.together.racing import at_once, needs_postgresql

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


def test_two_coordinators_revoking_at_once_revoke_once(django_user_model):
    link = StandLinkFactory()
    first = django_user_model.objects.create_user("first")
    second = django_user_model.objects.create_user("second")

    outcomes = at_once(
        lambda: StandLink.objects.get(pk=link.pk).revoke(by=first),
        lambda: StandLink.objects.get(pk=link.pk).revoke(by=second),
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["NoneType", "StandLinkError"]
    link.refresh_from_db()
    assert link.revoked_by in (first, second)
