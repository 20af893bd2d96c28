"""A new declaration starts from the shared rows (the department's current particulars, the
project's narratives as last declared); existing declarations never read them again."""

import pytest

from declarations.models import Declaration, Project, User
from tests.declarations.wizards.helpers import Wizard

pytestmark = pytest.mark.django_db


def test_a_new_declaration_of_a_known_project_starts_from_its_narratives(client):
    project = Project.objects.get(name="科普工作", department__short_name="沙区科协")
    wizard = Wizard.start(client, User.objects.get(username="shapingba"))
    basic = {"project": str(project.pk), "fiscal_year": "2027", "layout": "cq_special"}
    assert wizard.post("basic", basic).status_code == 302
    page = wizard.get("narratives").content.decode()
    assert project.overview[:30] in page and project.legal_basis[:20] in page


def test_a_new_department_wide_declaration_starts_from_the_departments_particulars(client):
    user = User.objects.get(username="xicheng")
    user.department.head = "王五"
    user.department.save()
    wizard = Wizard.start(client, user, kind="department")
    page = wizard.get("basic").content.decode()
    assert 'value="王五"' in page
    # The department's sample declaration still prints the head it was declared with.
    declared = Declaration.objects.get(department=user.department, sample_key__isnull=False)
    assert declared.head != "王五"
