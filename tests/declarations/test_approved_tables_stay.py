"""An approved declaration prints the same tables whatever happens afterwards.

A declaration owns what it prints, so neither an administrator rewriting its department and
project rows in the admin nor next year's declaration of the same project (which brings the
shared project row up to date) may change a cell of its Excel file or a word of its PDF, in any
layout it can be printed in. And the admin cannot change it behind the workflow's back: a
history revert, a change-form POST or a bulk delete all leave it exactly as it was.
"""

import pytest
from django.core.cache import caches
from django.db import models
from django.urls import reverse

from declarations import workflow
from declarations.domain.choices import Kind, Status
from declarations.domain.profiles import layouts_for
from declarations.exports.service import export_declaration, with_export_data
from declarations.models import (
    Budget,
    Declaration,
    DeclarationEvent,
    Department,
    KeyTask,
    Project,
    SpendingPlanPoint,
    SupervisingDivision,
    User,
)
from declarations.services import (
    INDICATOR_TEXTS,
    INDICATOR_VALUES,
    DeclarationInput,
    save_declaration,
)
from indicators.models import PerformanceIndicator
from tests.declarations.exports.readers import pdf_text, read_xlsx

pytestmark = pytest.mark.django_db

# Each sample with the demo account of its department: Kunming prints most of the
# department's particulars and the project's narratives, Beijing is department-wide, Chongqing
# prints the supervising division, Hebei the department and project codes, Guangzhou key tasks.
STAFF_OF = {
    "003-1": "chenggong",
    "002-1": "xicheng",
    "000-1": "shapingba",
    "004-2": "shunping",
    "001-1": "nansha",
}


def user(name: str) -> User:
    return User.objects.get(username=name)


def load(pk: int) -> Declaration:
    return with_export_data(Declaration.objects.filter(pk=pk)).get()


def approve(key: str) -> Declaration:
    """Submit the sample as its department's clerk and approve it as the demo reviewer, who
    is made to supervise the department first (only Chongqing's seed names its division)."""
    reviewer = user("reviewer")
    declaration = Declaration.objects.get(sample_key=key)
    Department.objects.filter(pk=declaration.department_id).update(
        supervising_division=reviewer.division
    )
    workflow.perform(declaration, "submit", by=user(STAFF_OF[key]))
    workflow.perform(declaration, "approve", by=reviewer, grade="good")
    declaration.refresh_from_db()
    assert declaration.status == Status.APPROVED
    return declaration


def printed(declaration: Declaration) -> dict:
    """Every layout the declaration may be printed in: all its Excel cells and its PDF text,
    rendered afresh (not served from the export cache)."""
    caches["exports"].clear()
    fresh = load(declaration.pk)
    tables = {}
    for layout in layouts_for(fresh.kind):
        sheet = read_xlsx(export_declaration(fresh, "xlsx", layout).data)
        tables[layout.value] = {
            "cells": sheet.cells,
            "merged": sheet.merged,
            "pdf": pdf_text(export_declaration(fresh, "pdf", layout).data),
        }
    return tables


def assert_same_tables(before: dict, after: dict) -> None:
    assert after.keys() == before.keys()
    for layout in before:
        cells_before, cells_after = before[layout]["cells"], after[layout]["cells"]
        changed = {
            c: (cells_before.get(c), cells_after.get(c))
            for c in cells_before.keys() | cells_after.keys()
            if cells_before.get(c) != cells_after.get(c)
        }
        assert not changed, f"{layout}: {changed}"
        assert after[layout]["merged"] == before[layout]["merged"], layout
        assert after[layout]["pdf"] == before[layout]["pdf"], layout


# --- changing the shared rows -----------------------------------------------------------------


def text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and f.editable and not f.choices
    ]


def rewritten(field: models.Field, value: str) -> str:
    new = f"改{value}" if value else f"管理员填写的{field.verbose_name}"
    return new[: field.max_length] if field.max_length else new


def admin_form_data(client, url: str) -> dict:
    """What the admin change form would send unchanged: each field's current value."""
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def admin_rewrites(client, obj, extra: dict | None = None) -> None:
    """Change every text field of ``obj`` through its admin change form, as an administrator
    would, and check that the row really changed."""
    model = type(obj)
    url = reverse(f"admin:declarations_{model._meta.model_name}_change", args=[obj.pk])
    data = admin_form_data(client, url)
    before = {f.name: getattr(obj, f.name) for f in text_fields(model)}
    assert set(before) <= set(data), "the admin form shows every text field"
    for field in text_fields(model):
        data[field.name] = rewritten(field, before[field.name])
    data.update(extra or {})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()
    for name, value in before.items():
        assert getattr(obj, name) != value, name
    for name, value in (extra or {}).items():
        assert str(getattr(obj, name)) == str(value), name


def next_years_declaration(declaration: Declaration) -> Declaration:
    """The same project (or the department as a whole) declared for the next year with other
    narratives, particulars, budget and indicators, through the one write path."""
    year = declaration.fiscal_year + 1
    texts = {
        name: f"{year}年重新填写的{Declaration.text_label(name)}"
        for name in Declaration.NARRATIVE_FIELDS
    }
    texts["funding_source"] = f"{year}年区级财政"
    indicators = [
        {
            **{name: getattr(indicator, name) for name in (*INDICATOR_TEXTS, *INDICATOR_VALUES)},
            "name": f"{year}年{indicator.name}" if indicator.name else "",
            "target_text": f"{year}年{indicator.target_text}" if indicator.target_text else "",
        }
        for indicator in declaration.indicators.all()
        if not indicator.is_placeholder
    ]
    data = DeclarationInput(
        kind=declaration.kind,
        fiscal_year=year,
        layout=declaration.layout,
        particulars={
            "head": "新任负责人",
            "phone": "010-00000000",
            "address": f"{year}年新址",
            "functions": f"{year}年重新填写的职能概述",
        },
        texts=texts,
        amounts={name: value * 2 for name, value in declaration.budget.amounts().items() if value}
        if hasattr(declaration, "budget")
        else {},
        indicators=indicators,
    )
    if declaration.kind == Kind.PROJECT:
        project = Project.objects.get(pk=declaration.project_id)
        data.project = project
        data.project_name = project.name
        data.project_code = f"{year}-新编码"
        data.period_start, data.period_end = year, year + 2
    return save_declaration(
        data, department=declaration.department, by=user(STAFF_OF[declaration.sample_key])
    )


@pytest.mark.parametrize("key", list(STAFF_OF))
def test_approved_tables_stay_when_the_department_and_project_rows_change(client, key):
    declaration = approve(key)
    before = printed(declaration)
    assert before, "the declaration is printed in at least one layout"

    # An administrator rewrites every text of the department, its division and the project.
    client.force_login(user("admin"))
    admin_rewrites(client, Department.objects.get(pk=declaration.department_id))
    admin_rewrites(client, SupervisingDivision.objects.get(pk=user("reviewer").division_id))
    if declaration.project_id:
        project = Project.objects.get(pk=declaration.project_id)
        admin_rewrites(client, project, {"period_start": 2030, "period_end": 2032})
    assert_same_tables(before, printed(declaration))

    # Next year's declaration of the same project brings the shared project row up to date.
    following = next_years_declaration(declaration)
    assert following.pk != declaration.pk and following.overview != declaration.overview
    if declaration.project_id:
        project = Project.objects.get(pk=declaration.project_id)
        assert following.project_id == project.pk
        assert project.overview == following.overview != declaration.overview
        assert project.code == following.project_code != declaration.project_code
    assert_same_tables(before, printed(declaration))

    # The approved declaration itself kept its own copy of everything.
    stored = Declaration.objects.get(pk=declaration.pk)
    for name in (*Declaration.DEPARTMENT_FIELDS, *Declaration.PROJECT_FIELDS, "division_name"):
        assert getattr(stored, name) == getattr(declaration, name), name
    assert stored.status == Status.APPROVED and stored.version == declaration.version


# --- the admin cannot change a frozen declaration ---------------------------------------------


def state(pk: int) -> dict:
    """Everything stored of a declaration: its own fields, its parts and its history."""
    declaration = Declaration.objects.get(pk=pk)

    def rows(model, order):
        fields = [f.attname for f in model._meta.concrete_fields]
        return list(model.objects.filter(declaration_id=pk).order_by(order).values(*fields))

    return {
        "fields": {f.attname: getattr(declaration, f.attname) for f in Declaration._meta.fields},
        "budget": rows(Budget, "pk"),
        "indicators": rows(PerformanceIndicator, "order"),
        "key_tasks": rows(KeyTask, "order"),
        "spending_plan": rows(SpendingPlanPoint, "month"),
        "history": declaration.history.count(),
        "events": DeclarationEvent.objects.filter(declaration_id=pk).count(),
    }


def in_status(key: str, status: str) -> Declaration:
    if status == Status.APPROVED:
        return approve(key)
    declaration = Declaration.objects.get(sample_key=key)
    workflow.perform(declaration, "submit", by=user(STAFF_OF[key]))
    declaration.refresh_from_db()
    assert declaration.status == Status.SUBMITTED
    return declaration


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.parametrize("key", ["003-1", "002-1"])
def test_a_history_revert_of_an_approved_declaration_is_refused(client, key):
    declaration = approve(key)
    before = state(declaration.pk)
    tables = printed(declaration)
    client.force_login(user("admin"))
    # The first record, the declaration as the sample loaded it: a draft of version 1.
    record = declaration.history.order_by("history_date", "history_id").first()
    assert record.status == Status.DRAFT
    url = reverse(
        "admin:declarations_declaration_simple_history", args=[declaration.pk, record.history_id]
    )
    page = client.get(url)
    assert page.status_code in (200, 403)
    if page.status_code == 200:
        data = {
            name: "" if value is None else value
            for name, value in (
                (name, page.context["adminform"].form[name].value())
                for name in page.context["adminform"].form.fields
            )
        }
    else:
        data = {f.attname: getattr(record, f.attname) or "" for f in Declaration._meta.fields}
    # The revert as the history form sends it, and once more with a rewritten target.
    for extra in ({}, {"annual_target": "恢复后改写的目标", "status": Status.DRAFT}):
        response = client.post(url, {**data, **extra, "_change_history": "1"}, follow=True)
        assert response.status_code == 200, response.status_code  # redirected, not a 500
        shown = messages_of(response)
        assert any("不能" in m for m in shown), shown
        assert state(declaration.pk) == before
    stored = Declaration.objects.get(pk=declaration.pk)
    assert (stored.status, stored.version) == (Status.APPROVED, declaration.version)
    assert_same_tables(tables, printed(declaration))


def value_of(bound_field):
    value = bound_field.value()
    return "" if value is None or value is False else value


def declaration_change_data(page, declaration: Declaration) -> dict:
    """What the declaration's admin change form sends, every text of the declaration
    rewritten: the form's own fields and inline forms as rendered, and the declaration's
    editable fields where the page shows them read-only."""
    data = {
        f.attname: ""
        if getattr(declaration, f.attname) is None
        else getattr(declaration, f.attname)
        for f in Declaration._meta.fields
        if f.editable and not f.primary_key
    }
    form = page.context["adminform"].form
    data.update({name: value_of(form[name]) for name in form.fields})
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): value_of(management[k]) for k in management.fields})
        for item in formset.forms:
            data.update({item.add_prefix(k): value_of(item[k]) for k in item.fields})
    for field in text_fields(Declaration):
        data[field.name] = rewritten(field, getattr(declaration, field.name))
    return data


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED])
@pytest.mark.parametrize("key", ["003-1", "002-1"])
def test_the_admin_change_form_cannot_change_a_frozen_declaration(client, key, status):
    declaration = in_status(key, status)
    before = state(declaration.pk)
    tables = printed(declaration)
    client.force_login(user("admin"))
    url = reverse("admin:declarations_declaration_change", args=[declaration.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="annual_target"' not in page.content.decode()  # shown read-only
    data = declaration_change_data(page, declaration)
    response = client.post(url, {**data, "status": Status.DRAFT})
    assert response.status_code in (403, 302, 200), response.status_code
    assert state(declaration.pk) == before
    assert_same_tables(tables, printed(declaration))


@pytest.mark.parametrize("key", ["003-1", "002-1"])
def test_the_same_change_form_post_does_change_a_draft(client, key):
    """The control for the test above: its POST is a working edit where edits are allowed."""
    declaration = Declaration.objects.get(sample_key=key)
    client.force_login(user("admin"))
    url = reverse("admin:declarations_declaration_change", args=[declaration.pk])
    data = declaration_change_data(client.get(url), declaration)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Declaration.objects.get(pk=declaration.pk)
    for field in text_fields(Declaration):
        assert getattr(stored, field.name) == data[field.name], field.name
    assert stored.version == declaration.version + 1


@pytest.mark.parametrize("with_a_draft", [False, True])
def test_bulk_delete_of_an_approved_declaration_deletes_nothing(client, with_a_draft):
    declaration = approve("003-1")
    draft = Declaration.objects.get(sample_key="000-1")
    selected = [declaration.pk, draft.pk] if with_a_draft else [declaration.pk]
    before = {pk: state(pk) for pk in selected}
    counts = {
        model: model.objects.count()
        for model in (Declaration, Budget, PerformanceIndicator, KeyTask, SpendingPlanPoint)
    }
    client.force_login(user("admin"))
    changelist = reverse("admin:declarations_declaration_changelist")
    action = {"action": "delete_selected", "_selected_action": selected}
    confirm = client.post(changelist, action)
    assert confirm.status_code in (200, 302, 403)
    response = client.post(changelist, {**action, "post": "yes"})
    assert response.status_code in (200, 302, 403), response.status_code
    assert {model: model.objects.count() for model in counts} == counts
    assert {pk: state(pk) for pk in selected} == before
    assert Declaration.objects.get(pk=declaration.pk).status == Status.APPROVED


def test_the_same_bulk_delete_does_delete_a_draft(client):
    """The control for the test above: its POST deletes what may be deleted."""
    draft = Declaration.objects.get(sample_key="000-1")
    client.force_login(user("admin"))
    response = client.post(
        reverse("admin:declarations_declaration_changelist"),
        {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Declaration.objects.filter(pk=draft.pk).exists()
