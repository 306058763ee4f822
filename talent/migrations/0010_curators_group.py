"""The "Curators" group: everything the review queue, the feed page and the admin's curation
actions ask for. Staff members are made curators by adding them to it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATORS = "Curators"
PERMISSIONS = {
    "talent": [
        "review_announcement",
        "merge_records",
        "rebuild_moves",
        *(
            f"{action}_{model}"
            for model in (
                "person",
                "personalias",
                "personlink",
                "organization",
                "organizationalias",
                "team",
                "stint",
                "source",
                "announcement",
                "correction",
            )
            for action in ("view", "add", "change")
        ),
        "delete_personalias",
        "delete_organizationalias",
        "delete_personlink",
        "view_move",
        "view_merge",
        "view_report",
    ],
    "feeds": [
        "operate_feed",
        "view_feed",
        "add_feed",
        "change_feed",
        "view_entry",
        "view_article",
    ],
}


def create_group(apps, schema_editor):
    # Custom permissions are normally created after all migrations (post_migrate); make
    # them now so the group can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CURATORS)
    for app_label, codenames in PERMISSIONS.items():
        found = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        missing = set(codenames) - set(found.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions not found for {app_label}: {sorted(missing)}")
        group.permissions.add(*found)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CURATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("talent", "0009_curation_permissions"),
        ("feeds", "0003_feed_permissions"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
