"""Declaration-level rules: a project table needs its project, of its own department."""

import pytest
from django.core.exceptions import ValidationError

from declarations.domain.choices import Kind
from tests.factories import DeclarationFactory, DepartmentFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_project_declaration_needs_a_project():
    declaration = DeclarationFactory.build(department=DepartmentFactory(), project=None)
    with pytest.raises(ValidationError) as excinfo:
        declaration.full_clean()
    assert excinfo.value.message_dict["project"] == ["项目支出申报表必须选择项目。"]


def test_project_of_another_department_is_refused():
    declaration = DeclarationFactory.build(
        department=DepartmentFactory(), project=ProjectFactory(), kind=Kind.PROJECT
    )
    with pytest.raises(ValidationError) as excinfo:
        declaration.full_clean()
    assert excinfo.value.message_dict["project"] == ["所选项目不属于本单位。"]


def test_department_declaration_has_no_project():
    department = DepartmentFactory()
    declaration = DeclarationFactory.build(
        department=department, project=ProjectFactory(department=department), kind=Kind.DEPARTMENT
    )
    with pytest.raises(ValidationError) as excinfo:
        declaration.full_clean()
    assert excinfo.value.message_dict["project"] == ["部门整体申报表不能选择项目。"]


def test_fiscal_year_out_of_range():
    declaration = DeclarationFactory.build(department=DepartmentFactory(), fiscal_year=1999)
    declaration.project = ProjectFactory(department=declaration.department)
    with pytest.raises(ValidationError) as excinfo:
        declaration.full_clean()
    assert excinfo.value.message_dict["fiscal_year"] == ["预算年度不能早于 2000 年。"]
