"""factory_boy factories for the models of both apps."""

from decimal import Decimal

import factory

from declarations.domain.choices import Kind, Layout
from declarations.models import Budget, Declaration, Department, Project, User
from declarations.quality import refresh_quality
from declarations.roles import REVIEWER_GROUP, STAFF_GROUP
from indicators.models import IndicatorCategory, IndicatorKind, PerformanceIndicator


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"测试区科学技术协会{n}")
    short_name = factory.Sequence(lambda n: f"测试科协{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"科普项目{n}")


class DeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Declaration

    department = factory.SubFactory(DepartmentFactory)
    project = factory.SubFactory(ProjectFactory, department=factory.SelfAttribute("..department"))
    fiscal_year = 2026
    kind = Kind.PROJECT
    layout = Layout.CHONGQING_SPECIAL
    # What it prints is its own copy, taken from the shared rows when it is made.
    department_name = factory.LazyAttribute(lambda o: o.department.name)
    department_short_name = factory.LazyAttribute(lambda o: o.department.short_name)
    project_name = factory.LazyAttribute(lambda o: o.project.name if o.project else "")


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    declaration = factory.SubFactory(DeclarationFactory)
    total = Decimal("310000.00")


def category(name: str, parent: str | None = None) -> IndicatorCategory:
    if parent is None:
        return IndicatorCategory.objects.get(level=1, name=name)
    return IndicatorCategory.objects.get(level=2, name=name, parent__name=parent, parent__level=1)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceIndicator

    declaration = factory.SubFactory(DeclarationFactory)
    order = factory.Sequence(lambda n: n + 1)
    level1 = factory.LazyFunction(lambda: category("产出指标"))
    level2 = factory.LazyFunction(lambda: category("数量指标", "产出指标"))
    name = "举办科普活动场次"
    weight = Decimal("20")
    operator = "≥"
    unit = "场次"
    kind = IndicatorKind.QUANTITATIVE
    target_value = Decimal("10")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        indicator = super()._create(model_class, *args, **kwargs)
        # As every write of a declaration does (services._record): the dashboard reads these.
        refresh_quality(indicator.declaration)
        return indicator


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "test-password-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        if create:
            self.save()


def staff_user(department: Department, **kwargs) -> User:
    return UserFactory(department=department, role=STAFF_GROUP, **kwargs)


def reviewer_user(division, **kwargs) -> User:
    return UserFactory(division=division, role=REVIEWER_GROUP, **kwargs)
