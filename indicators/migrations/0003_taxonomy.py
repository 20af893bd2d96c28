"""The national indicator taxonomy (fixtures/taxonomy.json) is in every database from the
first migration on, so an empty database works without the sample tables. Administrators
manage it in the admin afterwards; ``load_samples`` brings it up to the file again."""

import json
from pathlib import Path

from django.db import migrations

TAXONOMY_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "taxonomy.json"


def create_taxonomy(apps, schema_editor):
    Category = apps.get_model("indicators", "IndicatorCategory")
    data = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))
    for order, entry in enumerate(data["categories"], start=1):
        parent, _ = Category.objects.get_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "level": 1,
                "order": order,
                "legacy": entry.get("legacy", False),
                "description": entry.get("description", ""),
            },
        )
        for child_order, child in enumerate(entry.get("children", []), start=1):
            Category.objects.get_or_create(
                code=child["code"],
                defaults={
                    "name": child["name"],
                    "level": 2,
                    "parent": parent,
                    "order": child_order,
                    "legacy": child.get("legacy", False),
                    "description": child.get("description", ""),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_review_history")]

    operations = [migrations.RunPython(create_taxonomy, migrations.RunPython.noop)]
