"""The Moderators group, with exactly the permissions moderation needs.

Moderators read and correct stories (never add or delete them: stories come
from the public form, and a withdrawal, not a deletion, erases one), read the
moderation log, handle readers' reports and curate tags. They get nothing
else: no users, groups, campaigns or outgoing emails.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Moderators"  # stories.models.MODERATORS_GROUP, frozen here as migrations must be
PERMISSIONS = {
    "stories": ["view_story", "change_story", "view_moderationlogentry", "view_report", "change_report"],
    "taggit": ["view_tag", "add_tag", "change_tag"],
}


def create_moderators_group(apps, schema_editor):
    database = schema_editor.connection.alias
    # Permissions are normally created after all migrations (post_migrate);
    # create those of these apps now so that the group can be given them.
    for app_label in PERMISSIONS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=database)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(database).get_or_create(name=GROUP_NAME)
    group.permissions.set(
        Permission.objects.using(database).get(content_type__app_label=app_label, codename=codename)
        for app_label, codenames in PERMISSIONS.items()
        for codename in codenames
    )


def delete_moderators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(
        name=GROUP_NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0003_story_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_moderators_group, delete_moderators_group)]
