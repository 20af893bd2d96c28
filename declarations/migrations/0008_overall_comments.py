"""Reviewers' overall comments made with a return or an approval become review comments.

Until now such a comment was kept only on the status change (the history and the e-mail), so
the clerk never saw it where they work and could not answer it. Each one is copied, once, into
a ``ReviewComment`` of the round it was made in; the status change keeps its copy. Reversing
removes exactly the copies (they are recognised by author, time and text).
"""

from django.db import migrations, models

REVIEWER_ACTIONS = ("return", "approve")


def _copies(apps):
    StatusChange = apps.get_model("declarations", "StatusChange")
    changes = StatusChange.objects.filter(action__in=REVIEWER_ACTIONS).exclude(comment="")
    submits = {}
    for change in StatusChange.objects.filter(action="submit").order_by("at", "pk"):
        submits.setdefault(change.declaration_id, []).append(change.at)
    for change in changes.order_by("at", "pk"):
        review_round = sum(1 for at in submits.get(change.declaration_id, []) if at <= change.at)
        yield change, max(review_round, 1)


def forwards(apps, schema_editor):
    ReviewComment = apps.get_model("declarations", "ReviewComment")
    for change, review_round in _copies(apps):
        ReviewComment.objects.get_or_create(
            declaration_id=change.declaration_id,
            indicator_order=None,
            author_id=change.by_id,
            created_at=change.at,
            text=change.comment.strip(),
            defaults={"review_round": review_round},
        )


def backwards(apps, schema_editor):
    ReviewComment = apps.get_model("declarations", "ReviewComment")
    for change, _ in _copies(apps):
        ReviewComment.objects.filter(
            declaration_id=change.declaration_id,
            indicator_order=None,
            author_id=change.by_id,
            created_at=change.at,
            text=change.comment.strip(),
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0007_comment_limits"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterModelOptions(
            name="reviewcomment",
            options={
                "ordering": [
                    "-review_round",
                    models.OrderBy(models.F("indicator_order"), nulls_first=True),
                    "created_at",
                    "pk",
                ],
                "verbose_name": "审核意见",
                "verbose_name_plural": "审核意见",
            },
        ),
    ]
