"""Loading the sample tables (``fixtures/seeds/*.json``) into the database.

Each file transcribes one seed document: its department and every declaration in it. Amounts
are written in the file as the table prints them, in the declaration's money unit, and stored
in yuan. Indicator values are written as in the table ("≥45 场次") and split here into
operator, number and unit; tables that print these in separate columns give them separately.
Every object is validated with ``full_clean`` before it is saved, and nothing is written twice:
loading the same files again changes no row.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from declarations.models import (
    Budget,
    Declaration,
    Department,
    KeyTask,
    Project,
    SpendingPlanPoint,
    SupervisingDivision,
)
from declarations.models.budgets import validate_spending_plan
from declarations.money import from_unit
from declarations.upsert import upsert
from indicators.models import IndicatorKind, PerformanceIndicator
from indicators.taxonomy import resolve
from indicators.values import parse_value

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS_DIR = FIXTURES_DIR / "seeds"
TAXONOMY_FILE = FIXTURES_DIR / "taxonomy.json"

KIND_WORDS = {
    "定量": IndicatorKind.QUANTITATIVE,
    "定量指标": IndicatorKind.QUANTITATIVE,
    "定性": IndicatorKind.QUALITATIVE,
    "定性指标": IndicatorKind.QUALITATIVE,
}
DEPARTMENT_FIELDS = (
    "short_name",
    "code",
    "region",
    "organisation_code",
    "head",
    "phone",
    "address",
    "functions",
)
PROJECT_FIELDS = ("code", "period_start", "period_end", *Project.NARRATIVE_FIELDS)


@dataclass
class LoadReport:
    files: int = 0
    declarations: int = 0
    indicators: int = 0
    changed_rows: int = 0
    keys: list[str] = field(default_factory=list)


class SampleError(Exception):
    """A sample file that cannot be loaded; the message says where and why."""


def sample_files() -> list[Path]:
    return sorted(SEEDS_DIR.glob("*.json"))


@transaction.atomic
def load_sample_files(paths: list[Path] | None = None) -> LoadReport:
    report = LoadReport()
    for path in paths or sample_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        try:
            _load_document(data, report)
        except ValidationError as exc:
            raise SampleError(f"{path.name}: {_describe(exc)}") from exc
        report.files += 1
    return report


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return "；".join(exc.messages)


def _load_document(data: dict, report: LoadReport) -> None:
    dept_data = data["department"]
    division = None
    if dept_data.get("supervising_division"):
        division, changed = upsert(
            SupervisingDivision, {"name": dept_data["supervising_division"]}, {}
        )
        report.changed_rows += changed
    department, changed = upsert(
        Department,
        {"name": dept_data["name"]},
        {
            **{name: dept_data.get(name, "") for name in DEPARTMENT_FIELDS},
            "supervising_division": division,
        },
    )
    report.changed_rows += changed
    for entry in data["declarations"]:
        _load_declaration(department, entry, report)


def _load_declaration(department: Department, entry: dict, report: LoadReport) -> None:
    key = entry["key"]
    try:
        project = None
        if entry.get("project"):
            project_data = entry["project"]
            project, changed = upsert(
                Project,
                {"department": department, "name": project_data["name"]},
                {name: project_data.get(name, _blank(Project, name)) for name in PROJECT_FIELDS},
            )
            report.changed_rows += changed
        unit = entry["money_unit"]
        declaration, changed = upsert(
            Declaration,
            {"sample_key": key},
            {
                "department": department,
                "project": project,
                "fiscal_year": entry["fiscal_year"],
                "kind": entry["kind"],
                "layout": entry["layout"],
                "money_unit": unit,
                **{name: entry.get(name, "") for name in Declaration.TARGET_FIELDS},
            },
        )
        report.changed_rows += changed
        if "budget" in entry:
            amounts = {
                name: _amount(entry["budget"].get(name), unit) for name in Budget.AMOUNT_FIELDS
            }
            _, changed = upsert(Budget, {"declaration": declaration}, amounts)
            report.changed_rows += changed
        report.changed_rows += _load_spending_plan(declaration, entry.get("spending_plan", []))
        report.changed_rows += _load_key_tasks(declaration, entry.get("key_tasks", []), unit)
        report.changed_rows += _load_indicators(declaration, entry.get("indicators", []))
    except ValidationError as exc:
        raise ValidationError(f"申报表 {key}：{_describe(exc)}") from exc
    report.declarations += 1
    report.indicators += len(entry.get("indicators", []))
    report.keys.append(key)


def _blank(model, name):
    return None if model._meta.get_field(name).null else ""


def _amount(text: str | None, unit: str) -> Decimal | None:
    if text is None or text == "":
        return None
    return from_unit(Decimal(text), unit)


def _load_spending_plan(declaration: Declaration, points: list[dict]) -> int:
    pairs = [(p["month"], Decimal(p["percent"])) for p in points]
    validate_spending_plan(pairs)
    changed = 0
    for month, percent in pairs:
        _, did = upsert(
            SpendingPlanPoint,
            {"declaration": declaration, "month": month},
            {"cumulative_percent": percent},
        )
        changed += did
    stale = declaration.spending_plan.exclude(month__in=[m for m, _ in pairs])
    return changed + stale.delete()[0]


def _load_key_tasks(declaration: Declaration, tasks: list[dict], unit: str) -> int:
    changed = 0
    for order, task in enumerate(tasks, start=1):
        _, did = upsert(
            KeyTask,
            {"declaration": declaration, "order": order},
            {
                "name": task["name"],
                "content": task.get("content", ""),
                "funds": _amount(task.get("funds"), unit),
                "expected_result": task.get("expected_result", ""),
            },
        )
        changed += did
    return changed + declaration.key_tasks.filter(order__gt=len(tasks)).delete()[0]


def indicator_values(row: dict) -> dict:
    """Turn one indicator row of a sample file into model field values."""
    level1, level2 = resolve(row.get("level1"), row.get("level2"))
    values = {
        "level1": level1,
        "level2": level2,
        "name": row.get("name", ""),
        "weight": Decimal(row["weight"]) if row.get("weight") not in (None, "") else None,
        "description": row.get("description", ""),
        "basis": row.get("basis", ""),
        "scoring_rule": row.get("scoring_rule", ""),
    }
    raw = row.get("value", "")
    if "operator" in row or "unit" in row:
        # The table prints operator and unit in columns of their own.
        parsed = parse_value(raw)
        number = (
            parsed.number if parsed.is_numeric and not (parsed.operator or parsed.unit) else None
        )
        operator, unit = row.get("operator", ""), row.get("unit", "")
        text = "" if number is not None else raw
    else:
        parsed = parse_value(raw)
        operator, number, unit, text = parsed.operator, parsed.number, parsed.unit, parsed.text
    period = parse_value(row.get("period_value", ""))
    if period.is_numeric and (period.operator, period.unit) != (operator, unit):
        raise ValidationError(
            f"指标“{values['name']}”的实施周期指标值与年度指标值的运算符或单位不同，无法分别存放。"
        )
    kind = KIND_WORDS.get(row.get("kind", ""))
    if kind is None:
        kind = IndicatorKind.QUANTITATIVE if number is not None else IndicatorKind.QUALITATIVE
    values.update(
        operator=operator,
        unit=unit,
        kind=kind,
        target_value=number,
        target_text=text,
        period_value=period.number,
        period_text=period.text,
    )
    return values


def _load_indicators(declaration: Declaration, rows: list[dict]) -> int:
    changed = 0
    for order, row in enumerate(rows, start=1):
        _, did = upsert(
            PerformanceIndicator,
            {"declaration": declaration, "order": order},
            indicator_values(row),
        )
        changed += did
    return changed + declaration.indicators.filter(order__gt=len(rows)).delete()[0]
