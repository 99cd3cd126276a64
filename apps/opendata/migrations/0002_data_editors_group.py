"""The data editors' role as a group an administrator adds people to. Who is staff of a
department edits that department's datasets; a superuser edits every city's."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DATA_EDITORS = "데이터 담당자"
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("opendata", "view_dataset"),
    ("opendata", "add_dataset"),
    ("opendata", "change_dataset"),
    ("opendata", "delete_dataset"),
]


def create_group(apps, schema_editor):
    # Model permissions are made after all migrations have run; make them now on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=DATA_EDITORS)
    group.permissions.add(
        *[Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in PERMISSIONS]
    )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=DATA_EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("opendata", "0001_catalogue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
