"""Each story gets its own secret behind its private link, and keeps no name
its identity level does not show.

Existing stories: a fresh secret each, and ``accepts_legacy_link`` set, so
the links already emailed (the id alone, signed) keep working until the
storyteller or a moderator replaces the link. Their unused names are erased
(anonymous: none; first name only: the first word), as the new constraints
require. The rule is Story's (``stories.models.kept_name``), copied here so
that this migration stays what it is whatever the code becomes.
"""

import secrets

from django.db import migrations, models

import stories.models


def kept_name(naming, name):
    if naming == "anonymous":
        return ""
    if naming == "first_name":
        return next(iter(name.split()), "")
    return name


def keys_and_names(apps, schema_editor):
    Story = apps.get_model("stories", "Story")
    for story in Story.objects.only("pk", "naming", "name").iterator():
        kept = kept_name(story.naming, story.name)
        Story.objects.filter(pk=story.pk).update(
            manage_secret=secrets.token_urlsafe(24), accepts_legacy_link=True, name=kept
        )


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0011_moderation_queue"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="accepts_legacy_link",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="The link sent before each story had its own secret; it stops working once replaced.",
                verbose_name="old private link still works",
            ),
        ),
        migrations.AddField(
            model_name="story",
            name="access_code",
            field=models.CharField(
                blank=True, editable=False, max_length=20, null=True, unique=True, verbose_name="access code"
            ),
        ),
        migrations.AddField(
            model_name="story",
            name="manage_secret",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(keys_and_names, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="story",
            name="manage_secret",
            field=models.CharField(
                default=stories.models.new_manage_secret, editable=False, max_length=64, unique=True
            ),
        ),
        migrations.AddField(
            model_name="story",
            name="passphrase_hash",
            field=models.CharField(blank=True, editable=False, max_length=128),
        ),
        migrations.AlterField(
            model_name="moderationlogentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("publish", "publish"),
                    ("decline", "decline"),
                    ("request_changes", "request changes"),
                    ("unpublish", "unpublish"),
                    ("reopen", "reopen"),
                    ("withdraw", "withdraw"),
                    ("edit", "edit by the storyteller"),
                    ("redact", "correction by a moderator"),
                    ("reply", "reply by the storyteller"),
                    ("replace_link", "private link replaced"),
                    ("feature", "feature"),
                    ("unfeature", "stop featuring"),
                    ("submit_translation", "translation submitted"),
                    ("edit_translation", "translation edited"),
                    ("publish_translation", "translation published"),
                    ("return_translation", "translation returned for changes"),
                    ("review_translation", "translation back to review after a correction"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AddConstraint(
            model_name="story",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("naming", "anonymous"), _negated=True), ("name", ""), _connector="OR"
                ),
                name="story_unused_name_erased",
                violation_error_message="A story told anonymously keeps no name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="story",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("naming", "first_name"), _negated=True),
                    models.Q(("name__contains", " "), _negated=True),
                    _connector="OR",
                ),
                name="story_first_name_only",
                violation_error_message="A story signed with a first name keeps only that first name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="story",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("access_code__isnull", True),
                    models.Q(("passphrase_hash", ""), _negated=True),
                    _connector="OR",
                ),
                name="story_access_code_has_passphrase",
                violation_error_message="An access code needs its passphrase.",
            ),
        ),
    ]
