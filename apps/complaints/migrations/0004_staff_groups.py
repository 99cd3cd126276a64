"""The two staff roles of 민원 as groups an administrator adds people to."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DEPARTMENT_STAFF = "민원 담당자"
CITY_WIDE = "민원 총괄"

DEPARTMENT_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("complaints", "view_complaint"),
    ("complaints", "change_complaint"),
    ("complaints", "view_replytemplate"),
    ("complaints", "add_replytemplate"),
    ("complaints", "change_replytemplate"),
]
CITY_WIDE_PERMISSIONS = [
    *DEPARTMENT_PERMISSIONS,
    ("complaints", "view_all_complaints"),
    ("complaints", "view_complaint_contact"),
    ("complaints", "view_contactaccess"),
]


def create_groups(apps, schema_editor):
    # Model permissions are made after all migrations have run; on a fresh database they do not
    # exist yet at this point, so make them first.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ((DEPARTMENT_STAFF, DEPARTMENT_PERMISSIONS), (CITY_WIDE, CITY_WIDE_PERMISSIONS)):
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in wanted
        ]
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[DEPARTMENT_STAFF, CITY_WIDE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_photos_staff_reminders_ratings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # These give every group with admin access the choose permissions; run them first, so the
        # two roles hold exactly the permissions listed above on a new install as on an old one.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
