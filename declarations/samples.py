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

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from declarations.domain.budget import AMOUNT_FIELDS
from declarations.domain.choices import IndicatorKind
from declarations.domain.money import from_unit
from declarations.domain.values import parse_value
from declarations.models import Declaration, Department, Project, SupervisingDivision
from declarations.models.budgets import validate_spending_plan
from declarations.services import DeclarationInput, save_declaration
from declarations.upsert import upsert
from indicators.taxonomy import resolve

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


@dataclass
class LoadReport:
    files: int = 0
    declarations: int = 0
    indicators: int = 0
    changed_rows: int = 0
    keys: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


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
    """One declaration of a sample file, written through the one write path
    (``services.save_declaration``), which writes nothing when it is already so."""
    key = entry["key"]
    unit = entry["money_unit"]
    project_data = entry.get("project") or {}
    texts = {name: entry.get(name, "") for name in Declaration.TARGET_FIELDS}
    texts.update({name: project_data.get(name, "") for name in Project.NARRATIVE_FIELDS})
    data = DeclarationInput(
        kind=entry["kind"],
        fiscal_year=entry["fiscal_year"],
        layout=entry["layout"],
        project_name=project_data.get("name", ""),
        project_code=project_data.get("code", ""),
        period_start=project_data.get("period_start"),
        period_end=project_data.get("period_end"),
        texts=texts,
        amounts={name: _amount(entry.get("budget", {}).get(name), unit) for name in AMOUNT_FIELDS},
        spending_plan=[(p["month"], Decimal(p["percent"])) for p in entry.get("spending_plan", [])],
        key_tasks=[
            {**task, "funds": _amount(task.get("funds"), unit)}
            for task in entry.get("key_tasks", [])
        ],
    )
    try:
        validate_spending_plan(data.spending_plan)
        data.indicators = [indicator_values(row) for row in entry.get("indicators", [])]
        existing = Declaration.objects.filter(sample_key=key).first()
        declaration = save_declaration(
            data, department=department, by=None, declaration=existing, sample_key=key
        )
    except PermissionDenied:
        # Submitted or approved since it was loaded: it stays as it was reviewed.
        report.skipped.append(key)
        return
    except ValidationError as exc:
        raise ValidationError(f"申报表 {key}：{_describe(exc)}") from exc
    report.changed_rows += declaration.changed_rows
    report.declarations += 1
    report.indicators += len(entry.get("indicators", []))
    report.keys.append(key)


def _amount(text: str | None, unit: str) -> Decimal | None:
    if text is None or text == "":
        return None
    return from_unit(Decimal(text), unit)


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
