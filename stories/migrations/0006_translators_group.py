"""The Translators group, and the translation permissions of the Moderators.

Volunteer translators add and correct translations of published stories and
nothing else: they can view story translations (whose admin shows the
original's public title and text), never the stories themselves, so no
storyteller's email address or other private field. Publishing a
translation needs ``publish_storytranslation``, which only moderators get.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRANSLATORS = "Translators"  # stories.models.TRANSLATORS_GROUP, frozen here as migrations must be
MODERATORS = "Moderators"
TRANSLATOR_PERMISSIONS = ["add_storytranslation", "change_storytranslation", "view_storytranslation"]
MODERATOR_PERMISSIONS = [*TRANSLATOR_PERMISSIONS, "publish_storytranslation"]


def _permissions(apps, database, codenames):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(database).get(content_type__app_label="stories", codename=codename)
        for codename in codenames
    ]


def create_translators_group(apps, schema_editor):
    database = schema_editor.connection.alias
    # Permissions are normally created after all migrations (post_migrate).
    app_config = apps.get_app_config("stories")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=database)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    translators, _created = Group.objects.using(database).get_or_create(name=TRANSLATORS)
    translators.permissions.set(_permissions(apps, database, TRANSLATOR_PERMISSIONS))
    moderators, _created = Group.objects.using(database).get_or_create(name=MODERATORS)
    moderators.permissions.add(*_permissions(apps, database, MODERATOR_PERMISSIONS))


def delete_translators_group(apps, schema_editor):
    database = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Group.objects.using(database).filter(name=TRANSLATORS).delete()
    moderators = Group.objects.using(database).filter(name=MODERATORS).first()
    if moderators is not None:
        moderators.permissions.remove(*_permissions(apps, database, MODERATOR_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0005_story_translation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_translators_group, delete_translators_group)]
