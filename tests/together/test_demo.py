import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def row_counts():
    # Unmanaged models (together.FailedTask) have no table of their own.
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed
    }


def test_load_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=None)
    after_first = row_counts()

    call_command("load_demo", stdout=None)

    assert row_counts() == after_first


def test_load_demo_creates_accounts_and_active_campaign(settings, django_user_model):
    settings.DEBUG = True
    call_command("load_demo", stdout=None)

    assert django_user_model.objects.get(username="admin").is_superuser
    moderator = django_user_model.objects.get(username="moderator")
    assert (moderator.is_staff, moderator.is_superuser) == (True, False)
    assert apps.get_model("campaigns", "Campaign").objects.active().get().slug == "together"


def test_load_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="development only"):
        call_command("load_demo", stdout=None)
