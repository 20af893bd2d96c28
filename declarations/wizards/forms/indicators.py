"""The indicator step: one row per indicator, checked row by row and as a whole."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from declarations.domain.profiles import LayoutProfile
from declarations.domain.values import parse_value
from declarations.wizards.composite import CompositeForm
from declarations.wizards.forms.base import SMALL_TEXTAREA, StepForm, StyledForm
from indicators.models import IndicatorCategory, IndicatorKind, Operator


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
    name = forms.CharField(label="三级指标", max_length=300, required=False)
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
        if not data.get("name") and (self.profile is None or self.profile.names_required):
            self.add_error("name", "请填写指标名称。")
        level1, level2 = data.get("level1"), data.get("level2")
        if level2 is not None and level2.parent_id != getattr(level1, "pk", None):
            parent = level1.name if level1 else "（未选）"
            self.add_error("level2", f"二级指标“{level2.name}”不属于一级指标“{parent}”。")
        if (
            self.profile
            and self.profile.levels
            and not self.has_error("level1")
            and (level1 is None or (self.profile.level2_required and level2 is None))
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
    def rows(self) -> list[dict]:
        """The rows as indicator field values, in the clerk's order."""
        return [
            {
                **row,
                "period_value": row.get("period_number"),
                "period_text": row.get("period_text", ""),
            }
            for row in self.nested["rows"].rows
        ]
