"""The three role groups exist in every database, with or without the demo accounts."""

from django.db import migrations

ROLE_GROUPS = ("申报人", "审核人", "管理员")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("declarations", "0004_declaration_owns_what_it_prints"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
