"""The indicator-quality facts of each declaration (``DeclarationQuality``), which the finance
bureau's dashboard counts instead of a year's indicators, filled for the declarations there
are. From now on every write of a declaration stores them (``declarations.services``).
"""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    # The facts are what today's rules say (declarations.quality, the checklist's own
    # Python), so they are computed by today's code; it reads only the indicator columns the
    # rules read. 500 declarations a batch: some 10,000 indicators a read at province scale.
    from declarations.quality import refresh_qualities

    Declaration = apps.get_model("declarations", "Declaration")
    ids = list(Declaration.objects.order_by("pk").values_list("pk", flat=True))
    if ids:
        refresh_qualities(ids)


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0012_list_indexes_and_search"),
        ("indicators", "0005_indicator_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeclarationQuality",
            fields=[
                (
                    "declaration",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="quality",
                        serialize=False,
                        to="declarations.declaration",
                        verbose_name="申报表",
                    ),
                ),
                ("indicators", models.PositiveIntegerField(default=0, verbose_name="指标数")),
                (
                    "quantitative",
                    models.PositiveIntegerField(default=0, verbose_name="定量指标数"),
                ),
                (
                    "qualitative",
                    models.PositiveIntegerField(default=0, verbose_name="定性指标数"),
                ),
                ("has_output", models.BooleanField(default=False, verbose_name="有产出指标")),
                ("has_benefit", models.BooleanField(default=False, verbose_name="有效益指标")),
                (
                    "has_satisfaction",
                    models.BooleanField(default=False, verbose_name="有满意度指标"),
                ),
                ("has_cost", models.BooleanField(default=False, verbose_name="有成本指标")),
                (
                    "has_vague",
                    models.BooleanField(default=False, verbose_name="有无法衡量的目标"),
                ),
            ],
            options={
                "verbose_name": "申报表指标质量",
                "verbose_name_plural": "申报表指标质量",
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
