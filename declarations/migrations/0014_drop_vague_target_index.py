"""The list's quality filters read the facts stored with each declaration
(``DeclarationQuality``), no longer a regular expression over the indicators: the partial
index of vague targets that served that expression (PostgreSQL, 0011) goes."""

from importlib import import_module

from django.db import migrations

made = import_module("declarations.migrations.0011_dashboard_indexes")


class Migration(migrations.Migration):
    dependencies = [("declarations", "0013_declaration_quality_facts")]

    operations = [
        migrations.RunPython(made.drop_vague_index, made.create_vague_index, elidable=False),
    ]
