"""Where a page's time goes: pyinstrument over many requests, in process.

    DATABASE_URL=postgres://.../a_throwaway_db .venv/bin/python -m together.bench.profile /en/ /en/stories/
    ... -m together.bench.profile --pledge      # the pledge flow: form, link, confirm
    ... -m together.bench.profile --pledge-steps  # CPU of each of its requests, and of the email's delivery

Requests go through Django's test client, so the whole middleware stack and
the views run as in production (DEBUG off unless the environment says
otherwise), without gunicorn or the network. Each path is requested a few
times to warm up, then REPEAT times (PROFILE_REPEAT, default 200) under the
profiler; prints milliseconds per request, pyinstrument's tree and the
functions by total time (PROFILE_FLAT_LINES of them).
"""

import os
import secrets
import statistics
import sys
import time

from together.bench import inprocess

inprocess.setup(
    ALLOWED_HOSTS="testserver",
    FORM_MIN_SECONDS="0",
    RATE_LIMIT_PLEDGE="1000000/h",
    # Delivered as the bench's server does: handed to a backend that sends nothing.
    EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
)

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from together.bench.pledges import CONFIRM_LINK, EMAIL_DOMAIN, STAMP, TOKEN  # noqa: E402
from together.mail import deliver_email  # noqa: E402
from together.models import OutboundEmail  # noqa: E402

REPEAT = int(os.environ.get("PROFILE_REPEAT", "200"))
FLAT_LINES = int(os.environ.get("PROFILE_FLAT_LINES", "60"))


def pledge_form(page, email):
    """The pledge form of the campaign ``page`` (its bytes), filled in for ``email``."""
    return {
        "csrfmiddlewaretoken": TOKEN.search(page).group(1).decode(),
        "started": STAMP.search(page).group(1).decode(),
        "name": "Bench Supporter",
        "email": email,
        "country": "BE",
        "source": "campaign_page",
    }


def pledge_once(client, campaign_path):
    page = client.get(campaign_path).content
    email = f"{secrets.token_hex(8)}@{EMAIL_DOMAIN}"
    form = pledge_form(page, email)
    assert client.post(campaign_path, form).status_code in (302, 303)  # noqa: S101
    text = OutboundEmail.objects.filter(to=email).values_list("text_body", flat=True).first()
    link = CONFIRM_LINK.search(text).group(1)
    page = client.get(link).content
    response = client.post(link, {"csrfmiddlewaretoken": TOKEN.search(page).group(1).decode()})
    assert "/thanks/" in response["Location"]  # noqa: S101


def pledge_steps(client, campaign_path):
    """This process's CPU time (ms) of each step of one pledge, the email's
    delivery (what the worker runs for it, without the queue) included."""
    cpu = {}

    def timed(step, action):
        started = time.process_time()
        result = action()
        cpu[step] = (time.process_time() - started) * 1000
        return result

    client.cookies.clear()
    page = timed("campaign page (GET)", lambda: client.get(campaign_path).content)
    email = f"{secrets.token_hex(8)}@{EMAIL_DOMAIN}"
    form = pledge_form(page, email)
    assert timed("form (POST)", lambda: client.post(campaign_path, form)).status_code in (302, 303)  # noqa: S101
    message_id, text = OutboundEmail.objects.filter(to=email).values_list("pk", "text_body").first()
    timed("email delivery (task)", lambda: deliver_email.call(message_id))
    link = CONFIRM_LINK.search(text).group(1)
    page = timed("link page (GET)", lambda: client.get(link).content)
    confirming = {"csrfmiddlewaretoken": TOKEN.search(page).group(1).decode()}
    response = timed("confirm (POST)", lambda: client.post(link, confirming))
    assert "/thanks/" in response["Location"]  # noqa: S101
    return cpu


def measure_steps(client, campaign_path):
    """Median CPU ms of each step over REPEAT pledges (no profiler: its
    sampling would be counted too)."""
    for _ in range(5):
        pledge_steps(client, campaign_path)
    runs = [pledge_steps(client, campaign_path) for _ in range(REPEAT)]
    print(f"CPU of this process per step, median of {REPEAT} pledges (ms):")
    for step in runs[0]:
        values = sorted(run[step] for run in runs)
        print(f"  {step:24} {statistics.median(values):6.2f}   (p10 {values[len(values) // 10]:.2f})")


def profile(label, work):
    for _ in range(5):
        work()
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(REPEAT):
            work()
    elapsed = (time.perf_counter() - started) * 1000 / REPEAT
    print(f"\n=== {label}: {elapsed:.1f} ms per request (mean of {REPEAT}, profiled) ===")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    # The same samples by function, library code included (templates, Django):
    # which functions the time is spent under, largest first.
    flat = profiler.output_text(
        unicode=True, color=False, flat=True, flat_time="total", time="percent_of_total"
    )
    print("\n".join(flat.splitlines()[:FLAT_LINES]))


def main(arguments):
    call_command("collectstatic", "--no-input", verbosity=0)  # the manifest DEBUG=0 needs
    client = Client(enforce_csrf_checks=True)
    for path in [argument for argument in arguments if argument.startswith("/")]:
        profile(path, lambda path=path: client.get(path))
    if "--pledge" in arguments:
        campaign_path = "/en/campaigns/together/"

        def work():
            client.cookies.clear()
            pledge_once(client, campaign_path)

        profile("pledge flow (page, form, link page, confirm)", work)
    if "--pledge-steps" in arguments:
        measure_steps(client, "/en/campaigns/together/")
    if not arguments:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
