"""The outbox keeps each message's address in canonical form too, so erasing
a person's messages finds every spelling of their address; existing rows get
it computed here."""

import contextlib
import unicodedata

import idna
from django.db import migrations, models

# A copy of together.mail.normalise_email as it stood when this migration was
# written, so the migration gives the same result whatever the live code
# becomes (a later change of the rules comes with a migration of its own).
_ALIASES = {"googlemail.com": "gmail.com"}
_PLUS_TAG_DOMAINS = {
    "gmail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com",
    "fastmail.com", "fastmail.fm", "proton.me", "protonmail.com", "protonmail.ch", "pm.me",
}  # fmt: skip


def normalise_email(address):
    address = unicodedata.normalize("NFC", address.strip())
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return address.lower()
    local, domain = local.lower(), domain.lower().rstrip(".")
    with contextlib.suppress(idna.IDNAError):
        domain = idna.encode(domain, uts46=True).decode("ascii")
    domain = _ALIASES.get(domain, domain)
    if domain in _PLUS_TAG_DOMAINS:
        local = local.partition("+")[0] or local
    if domain == "gmail.com":
        local = local.replace(".", "") or local
    return f"{local}@{domain}"


def fill_to_normalised(apps, schema_editor):
    OutboundEmail = apps.get_model("together", "OutboundEmail")
    for pk, to in OutboundEmail.objects.values_list("pk", "to").iterator():
        OutboundEmail.objects.filter(pk=pk).update(to_normalised=normalise_email(to))


class Migration(migrations.Migration):
    dependencies = [
        ("together", "0001_outbound_email"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="to_normalised",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=254, verbose_name="to (normalised)"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_to_normalised, migrations.RunPython.noop),
    ]
