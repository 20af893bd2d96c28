"""The indicator taxonomy as data: loading it and resolving category names."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError

from declarations.quality import refresh_filed_under
from declarations.upsert import upsert
from indicators.models import IndicatorCategory


def load_taxonomy(path: Path) -> int:
    """Create or update the categories listed in ``path``; return how many rows changed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    for order, entry in enumerate(data["categories"], start=1):
        parent, did_change = upsert(
            IndicatorCategory,
            {"code": entry["code"]},
            {
                "name": entry["name"],
                "level": 1,
                "parent": None,
                "order": order,
                "legacy": entry.get("legacy", False),
                "description": entry.get("description", ""),
            },
        )
        changed += did_change
        for child_order, child in enumerate(entry.get("children", []), start=1):
            category, did_change = upsert(
                IndicatorCategory,
                {"code": child["code"]},
                {
                    "name": child["name"],
                    "level": 2,
                    "parent": parent,
                    "order": child_order,
                    "legacy": child.get("legacy", False),
                    "description": child.get("description", ""),
                },
            )
            changed += did_change
            if did_change:
                # A level-2 name decides what is a cost indicator (declarations.quality).
                refresh_filed_under(category)
    return changed


def resolve(level1_name: str | None, level2_name: str | None):
    """Find the categories named in a table; raise a ValidationError naming what is unknown."""
    level1 = level2 = None
    if level1_name:
        level1 = IndicatorCategory.objects.filter(level=1, name=level1_name).first()
        if level1 is None:
            raise ValidationError({"level1": f"未知的一级指标“{level1_name}”。"})
    if level2_name:
        if level1 is None:
            raise ValidationError({"level1": "选择二级指标前请先选择一级指标。"})
        level2 = IndicatorCategory.objects.filter(level=2, parent=level1, name=level2_name).first()
        if level2 is None:
            raise ValidationError(
                {
                    "level2": f"未知的二级指标“{level2_name}”：一级指标“{level1_name}”下没有这一分类。"
                }
            )
    return level1, level2
