"""The 500s the fuzz tests found, each as the smallest input that caused it, with the
exception it raised and where, before its fix at the root."""

import pytest

from declarations.models import DeclarationDraft, User
from tests.declarations.wizards.helpers import CQ_BASIC, Wizard, row_counts
from tests.fuzz.probe import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def wizard(users_client):
    client, staff = users_client
    return Wizard.start(client, staff)


@pytest.fixture
def users_client():
    staff = User.objects.get(username="shapingba")
    return login(staff), staff


# -- fixed: declarations/models/drafts.py, DeclarationDraft.refresh_title ----------------------


def test_a_draft_title_stays_within_its_column_whatever_was_typed(wizard):
    """PostgreSQL: DataError "value too long for type character varying(200)" when the draft
    was written back after a basic step with a 10,000-character year (the title is built
    from the input as typed, before it is validated)."""
    before = row_counts()
    response = wizard.post("basic", {**CQ_BASIC, "fiscal_year": "a" * 10_000})
    assert response.status_code == 200  # refused at the field, with its message
    assert "请填写四位数的年份。" in response.content.decode()
    title = DeclarationDraft.objects.get(pk=wizard.draft.pk).title
    assert len(title) == 200 and title.endswith("…")
    assert row_counts() == before


@pytest.mark.parametrize("project", ["²", "1" * 5000])
def test_a_draft_title_reads_a_project_id_that_is_no_number(wizard, project):
    """ValueError "Field 'id' expected a number but got '²'": str.isdigit() holds for "²"
    (and for 5,000 digits, past int()'s limit), so the title asked the database for it."""
    response = wizard.post("basic", {**CQ_BASIC, "project": project})
    assert response.status_code == 200
    assert "请选择本单位的项目。" in response.content.decode()


def test_a_draft_title_names_the_project_chosen_in_full_width_digits(wizard):
    """The title reads the project id as the form's field does: "１" is project 1."""
    project = wizard.draft.department.projects.order_by("pk").first()
    full_width = str(project.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    wizard.post("basic", {**CQ_BASIC, "project_name": "", "project": full_width})
    assert project.name in DeclarationDraft.objects.get(pk=wizard.draft.pk).title


# -- fixed: declarations/wizards/forms/indicators.py and entry.py ----------------------------


def test_the_indicator_step_without_its_management_form(wizard):
    """AttributeError "'IndicatorFormSet' object has no attribute 'ordered_forms'" at
    BaseIndicatorFormSet.clean: a missing management form is a non-form error, and
    ordered_forms refuses to answer for an invalid formset."""
    assert wizard.post("basic", CQ_BASIC).status_code == 302
    response = wizard.client.post(
        wizard.url("indicators"), {f"draft_{wizard.draft.pk}-current_step": "indicators"}
    )
    assert response.status_code == 200


def test_the_indicator_library_with_a_very_long_query(users_client):
    """SQLite: OperationalError "LIKE or GLOB pattern too complex" (over 50,000 bytes) at
    indicator_library's name__icontains."""
    client, _ = users_client
    response = client.get("/indicators/library/", {"q": "字" * 100_000})
    assert response.status_code == 200
    assert response.json() == {"results": []}
