"""The forms of the wizard steps. Each validates everything it can on its own, in Chinese, at
the field that is wrong; rules that depend on the layout come from its ``LayoutProfile``."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from declarations.exports.layouts import layouts_for
from declarations.exports.layouts.profile import LayoutProfile
from declarations.models import Budget, Declaration, Department, Project
from declarations.models.budgets import validate_spending_plan
from declarations.models.declarations import Kind
from declarations.money import MoneyUnit, from_unit
from declarations.wizards.composite import CompositeForm
from indicators.models import IndicatorCategory, IndicatorKind, Operator
from indicators.values import parse_value

YEAR_MESSAGES = {
    "min_value": "预算年度不能早于 2000 年。",
    "max_value": "预算年度不能晚于 2100 年。",
    "invalid": "请填写四位数的年份。",
    "required": "请填写预算年度。",
}
TEXTAREA = forms.Textarea(attrs={"rows": 4})
SMALL_TEXTAREA = forms.Textarea(attrs={"rows": 2})


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def style_fields(form) -> None:
    """Bootstrap classes for every field of ``form``."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    """A form whose fields carry Bootstrap classes, including formset rows and empty forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class StepForm(forms.Form):
    """Common keyword arguments of the step forms."""

    def __init__(
        self,
        *args,
        department: Department,
        kind: str,
        profile: LayoutProfile | None,
        declaration: Declaration | None = None,
        adjusts: Declaration | None = None,
        **kwargs,
    ):
        self.adjusts = adjusts
        self.department = department
        self.kind = kind
        self.profile = profile
        self.declaration = declaration
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self):
        """Bootstrap classes for every field, including those a subclass adds later."""
        style_fields(self)


class YearAndLayoutMixin:
    def _add_year_and_layout(self):
        self.fields["fiscal_year"] = forms.IntegerField(
            label="预算年度", min_value=2000, max_value=2100, error_messages=YEAR_MESSAGES
        )
        self.fields["layout"] = forms.ChoiceField(
            label="表样",
            choices=[(layout.value, layout.label) for layout in layouts_for(self.kind)],
            error_messages={
                "required": "请选择表样。",
                "invalid_choice": "该表样不适用于此类申报。",
            },
        )

    def _check_duplicate(self, **lookup):
        existing = Declaration.objects.filter(department=self.department, **lookup)
        if self.declaration is not None:
            existing = existing.exclude(pk=self.declaration.pk)
        if self.adjusts is not None:
            # An adjustment sits beside the approved version it adjusts, and beside earlier
            # adjustments of it.
            existing = existing.exclude(pk=self.adjusts.pk).exclude(adjusts=self.adjusts)
        return existing.exists()


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
        start, end = data.get("period_start"), data.get("period_end")
        if (start is None) != (end is None):
            self.add_error("period_end", "实施周期需同时填写起始年度和结束年度。")
        elif start and end and end < start:
            self.add_error("period_end", "实施周期的结束年度不能早于起始年度。")
        year = data.get("fiscal_year")
        if (
            data.get("project") is not None
            and year
            and self._check_duplicate(project=data["project"], fiscal_year=year)
        ):
            self.add_error("fiscal_year", f"项目“{data['project'].name}”已有 {year} 年度的申报表。")
        return data


class DepartmentBasicForm(YearAndLayoutMixin, StepForm):
    head = forms.CharField(label="部门（单位）负责人", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=50, required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    functions = forms.CharField(label="职能概述", widget=TEXTAREA, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_year_and_layout()
        self.order_fields(["fiscal_year", "layout", "head", "phone", "address", "functions"])
        self.style_fields()

    def clean(self):
        data = super().clean()
        year = data.get("fiscal_year")
        if year and self._check_duplicate(kind=Kind.DEPARTMENT, fiscal_year=year):
            self.add_error("fiscal_year", f"本单位已有 {year} 年度的部门整体申报表。")
        layout = data.get("layout")
        if layout == "bj_department":
            for name, label in (
                ("head", "负责人"),
                ("phone", "联系电话"),
                ("functions", "职能概述"),
            ):
                if not data.get(name):
                    self.add_error(name, f"所选表样需要填写{label}。")
        return data


class SpendingPointForm(StyledForm):
    month = forms.TypedChoiceField(
        label="截至", coerce=int, choices=[(m, f"{m}月底") for m in range(1, 13)]
    )
    percent = forms.DecimalField(
        label="累计支出比例（%）",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        error_messages={
            "min_value": "支出比例应在 0% 至 100% 之间。",
            "max_value": "支出比例应在 0% 至 100% 之间。",
            "invalid": "请填写百分比数字，如 50。",
        },
    )


class BaseSpendingPlanFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        points = [
            (form.cleaned_data["month"], form.cleaned_data["percent"])
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("percent") is not None
            and not form.cleaned_data.get("DELETE")
        ]
        validate_spending_plan(points)
        self.points = sorted(points)


SpendingPlanFormSet = forms.formset_factory(
    SpendingPointForm, formset=BaseSpendingPlanFormSet, extra=0, can_delete=True
)


class BudgetForm(CompositeForm, StepForm):
    """The amounts the chosen layout prints, in its unit, and the spending plan."""

    def __init__(self, *args, budget: Budget | None = None, **kwargs):
        initial_plan = kwargs.pop("initial_plan", None)
        super().__init__(*args, **kwargs)
        self.existing = budget
        unit = self.profile.money_unit
        places = 6 if unit == MoneyUnit.WAN_YUAN else 2
        unit_label = MoneyUnit(unit).label
        for name in self.profile.budget_fields:
            label = _label(Budget, name).replace("（元）", "")
            self.fields[name] = forms.DecimalField(
                label=f"{label}（{unit_label}）",
                # 15 digits either way: 万元 with 6 decimals is at most 13 digits of yuan,
                # which is what the database column holds.
                max_digits=15,
                decimal_places=places,
                min_value=0,
                required=name in self.profile.required_budget,
                error_messages={
                    "required": f"所选表样需要填写{label}。",
                    "invalid": f"请填写金额数字（单位：{unit_label}）。",
                    "min_value": "金额不能为负数。",
                    "max_decimal_places": f"金额最多精确到分（{unit_label}小数点后 {places} 位）。",
                    "max_whole_digits": f"金额过大，请核对单位（{unit_label}）。",
                },
                widget=forms.TextInput(
                    attrs={"class": "form-control text-end", "inputmode": "decimal"}
                ),
            )
        if self.profile.spending_plan:
            self.nest(
                "plan",
                SpendingPlanFormSet,
                initial=initial_plan or [{"month": m} for m in (3, 6, 10, 12)],
            )

    def amounts_in_yuan(self) -> dict[str, Decimal | None]:
        unit = self.profile.money_unit
        amounts = {}
        for name in self.profile.budget_fields:
            value = self.cleaned_data.get(name)
            amounts[name] = None if value is None else from_unit(value, unit)
        if "total" not in self.profile.budget_fields:
            parts = [
                amounts.get(n)
                for n in ("basic_expenditure", "project_expenditure", "other_expenditure")
            ]
            if any(p is not None for p in parts):
                amounts["total"] = sum((p for p in parts if p is not None), Decimal(0))
        return amounts

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        budget = Budget(declaration=Declaration(money_unit=self.profile.money_unit))
        if self.existing is not None:
            for name in Budget.AMOUNT_FIELDS:
                setattr(budget, name, getattr(self.existing, name))
        for name, value in self.amounts_in_yuan().items():
            setattr(budget, name, value)
        try:
            budget.clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                field = name if name in self.fields else None
                for message in messages:
                    self.add_error(field, message)
        return data


class NarrativeForm(StepForm):
    """Narratives of a project declaration: the project's texts and the targets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.profile.narratives:
            model = Project if name in Project.NARRATIVE_FIELDS else Declaration
            label = _label(model, name)
            self.fields[name] = forms.CharField(
                label=label,
                required=name in self.profile.required_narratives,
                widget=forms.TextInput(attrs={"class": "form-control"})
                if name == "funding_source"
                else forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                error_messages={"required": f"所选表样需要填写{label}。"},
            )


class KeyTaskForm(StyledForm):
    name = forms.CharField(
        label="名称", max_length=200, error_messages={"required": "请填写任务名称。"}
    )
    content = forms.CharField(label="主要实施内容", widget=SMALL_TEXTAREA, required=False)
    funds = forms.DecimalField(
        label="拟投入的资金",
        max_digits=15,
        decimal_places=6,
        min_value=0,
        required=False,
        error_messages={
            "invalid": "请填写金额数字。",
            "min_value": "金额不能为负数。",
            "max_decimal_places": "金额最多精确到分（万元小数点后 6 位）。",
            "max_whole_digits": "金额过大，请核对单位。",
        },
    )
    expected_result = forms.CharField(label="期望达到的目标", widget=SMALL_TEXTAREA, required=False)


KeyTaskFormSet = forms.formset_factory(KeyTaskForm, extra=0, can_delete=True, can_order=True)


class TargetsForm(CompositeForm, NarrativeForm):
    """Targets of a department-wide declaration, with its key tasks where the layout has them."""

    def __init__(self, *args, **kwargs):
        initial_tasks = kwargs.pop("initial_tasks", None)
        super().__init__(*args, **kwargs)
        if self.profile.key_tasks:
            self.nest("tasks", KeyTaskFormSet, initial=initial_tasks or [])

    def clean(self):
        data = super().clean()
        if self.profile.key_tasks and self.nested["tasks"].is_valid():
            unit = self.profile.money_unit
            tasks = [
                f.cleaned_data
                for f in self.nested["tasks"].ordered_forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            for task in tasks:
                task["funds"] = None if task["funds"] is None else from_unit(task["funds"], unit)
            self.tasks = tasks
        return data


class CategoryField(forms.TypedChoiceField):
    """A taxonomy category chosen from a list the formset loaded once for all its rows (a
    ModelChoiceField would query the taxonomy again for every row it renders and cleans)."""

    def __init__(self, *, level: int, **kwargs):
        self.level = level
        self.by_pk: dict[int, IndicatorCategory] = {}
        super().__init__(empty_value=None, required=False, **kwargs)

    def use(self, categories: list[IndicatorCategory]) -> None:
        self.by_pk = {c.pk: c for c in categories if c.level == self.level}
        self.choices = [("", "—"), *((c.pk, c.name) for c in self.by_pk.values())]

    def _coerce(self, value):
        # Not through ``coerce=``: a form deep-copies its fields, and a bound method given
        # as ``coerce`` would still look in the class-level field's (empty) mapping.
        if value in self.empty_values:
            return None
        return self.by_pk[int(value)]

    def prepare_value(self, value):
        return getattr(value, "pk", value)


class IndicatorForm(StyledForm):
    level1 = CategoryField(level=1, label="一级指标")
    level2 = CategoryField(level=2, label="二级指标")
    name = forms.CharField(
        label="三级指标", max_length=300, error_messages={"required": "请填写指标名称。"}
    )
    kind = forms.ChoiceField(
        label="指标属性", choices=IndicatorKind.choices, initial=IndicatorKind.QUANTITATIVE
    )
    operator = forms.ChoiceField(
        label="运算符", choices=[("", "—"), *Operator.choices], required=False
    )
    value = forms.CharField(label="指标值", max_length=2000, required=False)
    unit = forms.CharField(label="计量单位", max_length=20, required=False)
    weight = forms.DecimalField(
        label="权重",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        error_messages={
            "min_value": "指标权重应在 0 至 100 之间。",
            "max_value": "指标权重应在 0 至 100 之间。",
            "invalid": "权重请填写数字。",
            "max_decimal_places": "权重最多保留两位小数。",
        },
    )
    period_value = forms.CharField(label="实施周期指标值", max_length=2000, required=False)
    description = forms.CharField(label="指标内容 / 描述", widget=SMALL_TEXTAREA, required=False)
    basis = forms.CharField(label="指标值设定依据", widget=SMALL_TEXTAREA, required=False)
    scoring_rule = forms.CharField(label="评（扣）分标准", widget=SMALL_TEXTAREA, required=False)

    def __init__(self, *args, profile: LayoutProfile | None = None, categories=None, **kwargs):
        self.profile = profile
        super().__init__(*args, **kwargs)
        if categories is None:
            categories = list(IndicatorCategory.objects.all())
        self.fields["level1"].use(categories)
        self.fields["level2"].use(categories)
        self.fields["level1"].error_messages["invalid_choice"] = "未知的一级指标。"
        self.fields["level2"].error_messages["invalid_choice"] = "未知的二级指标。"

    def clean(self):
        data = super().clean()
        level1, level2 = data.get("level1"), data.get("level2")
        if level2 is not None and level2.parent_id != getattr(level1, "pk", None):
            parent = level1.name if level1 else "（未选）"
            self.add_error("level2", f"二级指标“{level2.name}”不属于一级指标“{parent}”。")
        if (
            self.profile
            and self.profile.levels
            and not self.has_error("level1")
            and (level1 is None or level2 is None)
        ):
            self.add_error("level2" if level1 else "level1", "所选表样需要选择一级和二级指标。")
        raw = (data.get("value") or "").strip()
        kind = data.get("kind")
        if kind == IndicatorKind.QUANTITATIVE:
            parsed = parse_value(raw)
            if not raw:
                self.add_error("value", "请填写指标值。")
            elif not parsed.is_numeric:
                self.add_error(
                    "value",
                    f"定量指标的指标值必须是数字，“{raw}”不是数字；文字目标请将指标属性改为定性。",
                )
            else:
                if parsed.operator and data.get("operator") and parsed.operator != data["operator"]:
                    self.add_error("operator", "运算符与指标值中的符号不一致。")
                if parsed.unit and data.get("unit") and parsed.unit != data["unit"]:
                    self.add_error("unit", "计量单位与指标值中的单位不一致。")
                data["operator"] = data.get("operator") or parsed.operator
                data["unit"] = data.get("unit") or parsed.unit
                data["target_value"], data["target_text"] = parsed.number, ""
            period = (data.get("period_value") or "").strip()
            parsed_period = parse_value(period)
            if period and not parsed_period.is_numeric:
                self.add_error(
                    "period_value", f"定量指标的实施周期指标值必须是数字，“{period}”不是数字。"
                )
            data["period_number"] = parsed_period.number if period else None
            data["period_text"] = ""
        elif kind == IndicatorKind.QUALITATIVE:
            if data.get("operator"):
                self.add_error("operator", "定性指标不设运算符。")
            if not raw:
                self.add_error("value", "请填写指标值。")
            data["target_value"], data["target_text"] = None, raw
            data["period_number"], data["period_text"] = (
                None,
                (data.get("period_value") or "").strip(),
            )
        return data


class BaseIndicatorFormSet(forms.BaseFormSet):
    def __init__(self, *args, profile: LayoutProfile | None = None, **kwargs):
        self.profile = profile
        categories = list(IndicatorCategory.objects.all())
        super().__init__(
            *args, form_kwargs={"profile": profile, "categories": categories}, **kwargs
        )

    def clean(self):
        if any(self.errors):
            return
        rows = [
            f.cleaned_data
            for f in self.ordered_forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if not rows:
            raise ValidationError("请至少填写一项绩效指标。")
        weights = [row.get("weight") for row in rows]
        given = [w for w in weights if w is not None]
        target = self.profile.weight_total if self.profile else None
        if self.profile and self.profile.weights_required and len(given) < len(rows):
            raise ValidationError("所选表样要求每项指标都填写权重。")
        if given and len(given) < len(rows):
            raise ValidationError("请为每项指标填写权重，或全部留空。")
        total = sum(given, Decimal(0))
        if given and target is not None and total != target:
            raise ValidationError(
                f"指标权重合计为 {total.normalize():f}，应为 {target.normalize():f}。"
            )
        self.rows = rows


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, formset=BaseIndicatorFormSet, extra=0, can_delete=True, can_order=True
)


class IndicatorsForm(CompositeForm, StepForm):
    def __init__(self, *args, **kwargs):
        initial_rows = kwargs.pop("initial_rows", None)
        super().__init__(*args, **kwargs)
        self.nest("rows", IndicatorFormSet, initial=initial_rows or [{}], profile=self.profile)

    @property
    def rows(self):
        return self.nested["rows"].rows


class ReviewForm(StepForm):
    """The last step: nothing to fill in; saving validates everything once more."""
