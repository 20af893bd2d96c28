"""Every sample declaration exported in every layout it may be printed in loses nothing.

Each Excel file is opened and read back: it must hold the table's subject, every amount of the
declaration that the layout has a place for (in the layout's own money unit), every indicator
with its value as that layout prints it, and the target text. Layouts of the wrong kind are
never offered, neither by ``layouts_for`` nor by the detail page, and are refused with a 404.
"""

import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.urls import reverse

from declarations.domain.choices import Kind, Layout
from declarations.domain.money import MoneyUnit, format_amount, plain_decimal, to_unit
from declarations.domain.profiles import layouts_for, profile_of
from declarations.domain.values import format_value
from declarations.exports.grid import NumberFormat
from declarations.exports.service import export_declaration, with_export_data
from declarations.models import Declaration, User
from tests.declarations.exports.readers import Sheet, read_xlsx

pytestmark = pytest.mark.django_db

# The samples the fixtures load and their kinds (checked against the database below; the
# cases are listed when the tests are collected, before there is a database).
KIND_OF_SAMPLE = {
    **dict.fromkeys(["000-1", "000-2", "000-3", "000-4", "003-1", "004-2"], Kind.PROJECT),
    **dict.fromkeys(["001-1", "002-1", "004-1"], Kind.DEPARTMENT),
}
SAMPLE_KEYS = sorted(KIND_OF_SAMPLE)

CASES = [(key, layout.value) for key in SAMPLE_KEYS for layout in layouts_for(KIND_OF_SAMPLE[key])]

# Which target texts each layout prints (read from the layout modules): Chongqing 当年绩效目标,
# Guangzhou 总体绩效目标, Beijing 部门（单位）绩效目标, Kunming 总体目标 and 预算年度目标,
# Hebei 绩效目标 on the project form and 总体绩效目标 on the department-wide one.
PRINTED_TARGETS = {
    (Layout.CHONGQING_SPECIAL, Kind.PROJECT): ("annual_target",),
    (Layout.GUANGZHOU_DEPARTMENT, Kind.DEPARTMENT): ("overall_target",),
    (Layout.BEIJING_DEPARTMENT, Kind.DEPARTMENT): ("annual_target",),
    (Layout.KUNMING_PROJECT, Kind.PROJECT): ("overall_target", "annual_target"),
    (Layout.HEBEI_COUNTY, Kind.PROJECT): ("annual_target",),
    (Layout.HEBEI_COUNTY, Kind.DEPARTMENT): ("overall_target",),
}

# Layouts whose 指标值 column holds the bare number (operator and unit have columns of their
# own); the others print the value as one text, "≥45场次".
BARE_NUMBER_LAYOUTS = {Layout.CHONGQING_SPECIAL, Layout.KUNMING_PROJECT}

# The Excel number format of an amount cell in each unit (Beijing adds the unit as a suffix).
UNIT_FORMATS = {MoneyUnit.WAN_YUAN: NumberFormat.WAN_YUAN, MoneyUnit.YUAN: NumberFormat.YUAN}


def load(key: str) -> Declaration:
    return with_export_data(Declaration.objects.filter(sample_key=key)).get()


@pytest.fixture(scope="module")
def sheets(django_db_setup, django_db_blocker):
    """Every sample in every layout of its kind, exported once and read back."""
    with django_db_blocker.unblock():
        caches["exports"].clear()  # rendered now, not served from an earlier run
        return {
            (key, layout): read_xlsx(export_declaration(load(key), "xlsx", layout).data)
            for key, layout in CASES
        }


def test_the_cases_cover_every_sample_and_its_kind():
    stored = dict(Declaration.objects.exclude(sample_key=None).values_list("sample_key", "kind"))
    assert stored == KIND_OF_SAMPLE
    assert {(layout, kind) for kind in Kind for layout in layouts_for(kind)} == set(PRINTED_TARGETS)


# --- reading the sheet ------------------------------------------------------------------------


def number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return Decimal(str(value))


def rows(sheet: Sheet) -> dict[int, list]:
    """The non-empty cells of each row, left to right, as openpyxl cells."""
    found: dict[int, list] = {}
    for coordinate in sheet.cells:
        cell = sheet.worksheet[coordinate]
        found.setdefault(cell.row, []).append(cell)
    for cells in found.values():
        cells.sort(key=lambda c: c.column)
    return found


def rows_with(sheet: Sheet, text: str) -> list[int]:
    return sorted({sheet.worksheet[c].row for c, v in sheet.cells.items() if v == text})


def printed_amount(sheet: Sheet, label: str):
    """The cells right of each label cell (a cell whose text, without its colon, ends with
    ``label``): the first non-empty one in the row, if it is a number."""
    found = []
    for cells in rows(sheet).values():
        for index, cell in enumerate(cells):
            if isinstance(cell.value, str) and cell.value.rstrip("：").endswith(label):
                following = cells[index + 1 : index + 2]
                if following and number(following[0].value) is not None:
                    found.append(following[0])
    return found


def amount_texts(label: str, amount: Decimal, unit: str) -> list[str]:
    """How a table that has no cell for an amount writes it into a text: 全年安排资金2万元."""
    shown = to_unit(amount, unit)
    label_unit = MoneyUnit(unit).label
    return [
        f"{label}{plain_decimal(shown)}{label_unit}",
        f"{label}{format_amount(amount, unit)}{label_unit}",
        f"{label}为{plain_decimal(shown)}{label_unit}",
        f"{label}为{format_amount(amount, unit)}{label_unit}",
    ]


# --- the checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "layout"), CASES)
def test_the_subject_is_printed(sheets, key, layout):
    declaration = load(key)
    texts = sheets[key, layout].texts()
    if declaration.kind == Kind.PROJECT:
        assert declaration.project_name in texts, layout
    else:
        assert any(declaration.department_name in text for text in texts), layout


@pytest.mark.parametrize(("key", "layout"), CASES)
def test_every_amount_the_layout_has_a_place_for_is_printed_in_its_unit(sheets, key, layout):
    declaration = load(key)
    profile = profile_of(layout)
    sheet = sheets[key, layout]
    budget = getattr(declaration, "budget", None)
    amounts = {
        concept: getattr(budget, concept)
        for concept in profile.budget_labels
        if budget is not None and getattr(budget, concept) is not None
    }
    if not profile.prints_total:
        amounts.pop("total", None)
    unit = profile.money_unit
    missing, in_cells = [], False
    for concept, amount in amounts.items():
        label = profile.budget_label(concept)
        expected = to_unit(amount, unit)
        cells = [c for c in printed_amount(sheet, label) if number(c.value) == expected]
        if cells:
            assert all(c.number_format.startswith(UNIT_FORMATS[unit]) for c in cells), (
                concept,
                [c.number_format for c in cells],
            )
            in_cells = True
            continue
        written = amount_texts(label, amount, unit)
        if any(w in text for text in sheet.texts() for w in written):
            continue
        missing.append(f"{concept} {label} {format_amount(amount, unit)} {MoneyUnit(unit).label}")
    assert not missing, f"{layout} drops or misprints: {missing}"
    if in_cells:
        unit_label = MoneyUnit(unit).label
        assert any(f"单位：{unit_label}" in t or f"（{unit_label}）" in t for t in sheet.texts()), (
            f"{layout} does not say its amounts are in {unit_label}"
        )


# The header of the column each layout prints an indicator's parts in.
VALUE_COLUMNS = {
    Layout.CHONGQING_SPECIAL: {"value": "指标值", "unit": "计量单位", "operator": "指标性质"},
    Layout.KUNMING_PROJECT: {"value": "指标值", "unit": "度量单位", "operator": "指标性质"},
    Layout.GUANGZHOU_DEPARTMENT: {"value": "年度指标值", "period": "实施周期指标值"},
    Layout.BEIJING_DEPARTMENT: {"value": "指标值"},
    Layout.HEBEI_COUNTY: {"value": "指标值"},
}


def column_of(sheet: Sheet, header: str) -> int:
    (column,) = {sheet.worksheet[c].column for c, v in sheet.cells.items() if v == header}
    return column


@pytest.mark.parametrize(("key", "layout"), CASES)
def test_every_indicator_and_its_value_are_printed(sheets, key, layout):
    declaration = load(key)
    sheet = sheets[key, layout]
    indicators = [i for i in declaration.indicators.all() if not i.is_placeholder]
    if not indicators:
        return  # Hebei's department narrative (004-1) has no indicator grid
    columns = {part: column_of(sheet, header) for part, header in VALUE_COLUMNS[layout].items()}
    missing = []
    for indicator in indicators:
        value = format_value(
            indicator.operator, indicator.target_value, indicator.unit, indicator.target_text
        )
        if layout == Layout.BEIJING_DEPARTMENT:
            # One sentence in the value column: "name：value", or whichever there is.
            text = (
                f"{indicator.name}：{value}"
                if indicator.name and value
                else indicator.name or value
            )
            found = [
                r
                for r in rows_with(sheet, text)
                if sheet.worksheet.cell(r, columns["value"]).value == text
            ]
            if not found:
                missing.append(text[:40])
            continue
        found = rows_with(sheet, indicator.name or value)
        if not found:
            missing.append((indicator.name or value)[:40])
            continue

        def printed(part, found=found):
            return [sheet.worksheet.cell(row, columns[part]).value for row in found]

        if layout in BARE_NUMBER_LAYOUTS:
            if indicator.target_value is not None:
                if not any(number(v) == indicator.target_value for v in printed("value")):
                    missing.append(f"{indicator.name[:30]} 指标值 {indicator.target_value}")
            elif indicator.target_text not in printed("value"):
                missing.append(f"{indicator.name[:30]} 指标值 {indicator.target_text[:20]}")
            for part in ("unit", "operator"):
                wanted = getattr(indicator, part)
                if wanted and wanted not in printed(part):
                    missing.append(f"{indicator.name[:30]} {part} {wanted}")
        elif value and value not in printed("value"):
            missing.append(f"{indicator.name[:30]} 指标值 {value[:20]}")
        if "period" in columns:
            period = format_value(
                indicator.operator, indicator.period_value, indicator.unit, indicator.period_text
            )
            if period and period not in printed("period"):
                missing.append(f"{indicator.name[:30]} 实施周期指标值 {period[:20]}")
    assert not missing, f"{layout} drops: {missing}"


@pytest.mark.parametrize(("key", "layout"), CASES)
def test_the_target_text_is_printed(sheets, key, layout):
    declaration = load(key)
    texts = sheets[key, layout].texts()
    printed = PRINTED_TARGETS[Layout(layout), declaration.kind]
    wanted = [name for name in printed if declaration.text(name).strip()]
    if not wanted:
        # The declaration has no text for the target this layout prints: its other target
        # must stand there rather than nothing.
        wanted = [n for n in ("annual_target", "overall_target") if declaration.text(n).strip()]
        wanted = wanted[:1]
    assert wanted, "every sample declares a target"
    for name in wanted:
        target = declaration.text(name).strip()
        assert any(target in text for text in texts), f"{layout} drops {name}: {target[:40]}"


# --- layouts of the wrong kind ----------------------------------------------------------------


def test_project_and_department_layouts_are_offered_to_their_kind_only():
    project, department = set(layouts_for(Kind.PROJECT)), set(layouts_for(Kind.DEPARTMENT))
    assert project == {Layout.CHONGQING_SPECIAL, Layout.KUNMING_PROJECT, Layout.HEBEI_COUNTY}
    assert department == {
        Layout.GUANGZHOU_DEPARTMENT,
        Layout.BEIJING_DEPARTMENT,
        Layout.HEBEI_COUNTY,
    }
    for layout in Layout:
        kinds = profile_of(layout).kinds
        assert (layout in project) == (Kind.PROJECT in kinds)
        assert (layout in department) == (Kind.DEPARTMENT in kinds)


def menu_options(page: str) -> list[str]:
    select = re.search(r'<select name="layout"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the detail page has a layout menu"
    return re.findall(r'<option value="([^"]+)"', select.group(1))


@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_the_detail_page_offers_and_accepts_only_layouts_of_the_kind(client, key):
    client.force_login(User.objects.get(username="admin"))
    declaration = Declaration.objects.get(sample_key=key)
    fitting = [layout.value for layout in layouts_for(declaration.kind)]
    detail = reverse("declaration_detail", args=[declaration.pk])
    page = client.get(detail)
    assert page.status_code == 200
    assert menu_options(page.content.decode()) == fitting
    for layout in Layout:
        response = client.get(detail, {"layout": layout.value})
        exports = [
            client.get(
                reverse("declaration_export", args=[declaration.pk, fmt]), {"layout": layout}
            )
            for fmt in ("xlsx", "pdf")
        ]
        if layout.value in fitting:
            assert response.status_code == 200, layout
            assert menu_options(response.content.decode()) == fitting
            assert [r.status_code for r in exports] == [200, 200], layout
        else:
            assert response.status_code == 404, layout
            assert [r.status_code for r in exports] == [404, 404], layout
