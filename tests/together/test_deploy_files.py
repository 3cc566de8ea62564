"""The systemd files in deploy/ name commands that exist, so a server set up
from them runs every periodic job (README, "Running several instances")."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
TIMERS = sorted(DEPLOY.glob("together-*.timer"))


@pytest.mark.parametrize("timer", TIMERS, ids=lambda path: path.name)
def test_each_timer_starts_the_periodic_unit_with_a_command_that_exists(timer):
    (command,) = re.findall(r"^Unit=together-periodic@(\w+)\.service$", timer.read_text(), re.M)

    assert command in get_commands()
    assert timer.name == f"together-{command}.timer"


def test_every_periodic_job_the_site_needs_has_a_timer():
    assert {path.name for path in TIMERS} == {
        "together-purge_personal_data.timer",
        "together-send_report_digest.timer",
        "together-sweep_media.timer",
        "together-send_queued_emails.timer",
        "together-delete_expired_pledges.timer",
        "together-prune_db_task_results.timer",
        "together-repair_pledge_counts.timer",
        "together-backup.timer",
    }


@pytest.mark.parametrize("unit", sorted(DEPLOY.glob("together-*.service")), ids=lambda path: path.name)
def test_each_service_runs_a_command_that_exists(unit):
    (start,) = re.findall(r"^ExecStart=(.*)$", unit.read_text(), re.M)
    command = re.search(r"manage\.py (\S+)", start)

    assert command is None or command.group(1) in {"%i", *get_commands()}
    assert command is not None or "gunicorn -c together/gunicorn.conf.py together.wsgi" in start
