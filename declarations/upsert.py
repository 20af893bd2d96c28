"""Idempotent writes for data loaded from files (sample tables, taxonomy)."""

from django.db import models


def upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, bool]:
    """Get the row matching ``lookup`` and bring it to ``values``, validating before saving.

    Unlike ``update_or_create`` this writes nothing when the row already holds the values, so
    loading the same file twice leaves every row, timestamp and id as it was. Returns the
    object and whether anything was written.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
    elif all(_same(getattr(obj, name), value) for name, value in values.items()):
        return obj, False
    else:
        for name, value in values.items():
            setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj, True


def _same(current, wanted) -> bool:
    if isinstance(current, models.Model) or isinstance(wanted, models.Model):
        current_pk = current.pk if isinstance(current, models.Model) else current
        wanted_pk = wanted.pk if isinstance(wanted, models.Model) else wanted
        return current_pk == wanted_pk
    return current == wanted
