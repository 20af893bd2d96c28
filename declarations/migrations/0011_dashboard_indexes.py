"""Indexes of the finance bureau's dashboard (declarations/dashboard.py).

The year's declarations are counted by department, status and time waited from one index
alone. On PostgreSQL, the indicators whose target is vague (the review checklist's rule, written
as a regular expression in ``declarations.quality.VAGUE_TARGET_SQL``) get a partial index: a
few percent of the rows, so that a year's declarations with a vague target are found without
matching the expression against every one of their indicators. SQLite matches them as it reads.
"""

from django.db import migrations, models

# The checklist's vague-target rule as a regular expression, when this index was made (the
# index was dropped again by 0014, once the list filtered by stored facts).
VAGUE_TARGET_SQL = (
    r"^\s*(有所|明显|显著|大幅|进一步|稳步|持续|有效)?(提升|提高|改善|增强|加强|增加|推进)。*\s*$"
)
VAGUE_INDEX = "indicator_vague_target"


def create_vague_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX {VAGUE_INDEX} ON indicators_performanceindicator (declaration_id) "
        "WHERE target_text::text ~ %s",
        [VAGUE_TARGET_SQL],
    )


def drop_vague_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {VAGUE_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0010_jobs"),
        ("indicators", "0004_text_limits"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="declaration",
            index=models.Index(
                fields=["fiscal_year", "department", "status", "submitted_at", "reviewed_at", "id"],
                name="declaration_year_figures",
            ),
        ),
        migrations.RunPython(create_vague_index, drop_vague_index, elidable=False),
    ]
