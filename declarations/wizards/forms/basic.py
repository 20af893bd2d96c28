"""The first step: the project or department, the year and the layout."""

from django import forms

from declarations.domain.limits import LONG_TEXT
from declarations.domain.profiles import profile_of
from declarations.domain.rules import period_findings
from declarations.models import Department, Project
from declarations.services import duplicate_message
from declarations.wizards.forms.base import TEXTAREA, YEAR_MESSAGES, StepForm, YearAndLayoutMixin


class ProjectBasicForm(YearAndLayoutMixin, StepForm):
    project = forms.ModelChoiceField(
        label="项目", queryset=Project.objects.none(), required=False, empty_label="（新建项目）"
    )
    project_name = forms.CharField(label="新项目名称", max_length=200, required=False)
    project_code = forms.CharField(label="项目编码", max_length=50, required=False)
    period_start = forms.IntegerField(
        label="实施周期起始年度",
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages=YEAR_MESSAGES,
    )
    period_end = forms.IntegerField(
        label="实施周期结束年度",
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages=YEAR_MESSAGES,
    )

    field_order = [
        "project",
        "project_name",
        "project_code",
        "fiscal_year",
        "period_start",
        "period_end",
        "layout",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_year_and_layout()
        self._add_adjustment_reason()
        self.fields["project"].queryset = Project.objects.filter(department=self.department)
        self.fields["project"].error_messages["invalid_choice"] = "请选择本单位的项目。"
        self.order_fields(self.field_order)
        self.style_fields()

    def clean(self):
        data = super().clean()
        project, name = data.get("project"), (data.get("project_name") or "").strip()
        if project is None and not name:
            self.add_error("project_name", "请选择已有项目，或填写新项目名称。")
        if project is None and name:
            same = Project.objects.filter(department=self.department, name=name).first()
            if same is not None:
                data["project"] = same
        for finding in period_findings(data.get("period_start"), data.get("period_end")):
            self.add_error(finding.field, finding.message)
        year = data.get("fiscal_year")
        if data.get("project") is not None and year:
            existing = self._duplicate(data["project"], year)
            if existing is not None:
                self.add_error("fiscal_year", duplicate_message(existing))
        return data


class DepartmentBasicForm(YearAndLayoutMixin, StepForm):
    head = forms.CharField(label="部门（单位）负责人", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=50, required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    functions = forms.CharField(
        label="职能概述", widget=TEXTAREA, required=False, max_length=LONG_TEXT
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_year_and_layout()
        self._add_adjustment_reason()
        self.order_fields(["fiscal_year", "layout", *Department.STAFF_FIELDS])
        self.style_fields()

    def clean(self):
        data = super().clean()
        year = data.get("fiscal_year")
        if year:
            existing = self._duplicate(None, year)
            if existing is not None:
                self.add_error("fiscal_year", duplicate_message(existing))
        layout = data.get("layout")
        if layout:
            for name in profile_of(layout).department_fields:
                if name in self.fields and not data.get(name):
                    self.add_error(name, f"所选表样需要填写{self.fields[name].label}。")
        return data
