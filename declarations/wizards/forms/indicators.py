"""The indicator step: one row per indicator, checked row by row and as a whole."""

from django import forms
from django.core.exceptions import ValidationError

from declarations.domain.limits import ROW_TEXT
from declarations.domain.plausibility import target_history_findings
from declarations.domain.profiles import LayoutProfile
from declarations.domain.rules import (
    UNCLASSIFIED,
    Finding,
    level_findings,
    messages,
    value_findings,
    weight_explanation,
    weight_findings,
)
from declarations.domain.values import parse_value
from declarations.wizards.composite import CompositeForm
from declarations.wizards.forms.base import SMALL_TEXTAREA, StepForm, StyledForm
from declarations.wizards.forms.texts import old_year_warnings
from indicators.library import histories_of, row_key, target_history
from indicators.models import IndicatorCategory, IndicatorKind, Operator

# Values of quantitative indicators as the help text shows them: each is read by the value
# grammar (``domain.values.parse_value``) as operator, number and unit.
VALUE_EXAMPLES = ("≥45场次", "100%", "≤10万元", ">=2 届")
# Where a clerk hesitates: what to put in 指标属性, 指标性质 and 指标值. Shown once above the
# rows (and as each input's tooltip), each row's input described by it.
HELP = {
    "kind": "定量：目标是一个可计数的数，如场次、人次、比例；"
    "定性：目标无法用数字衡量，写一段文字，如“及时”“有效提升”。",
    "operator": "实际完成怎样算达到目标：≥ 不少于（场次、满意度等越多越好）；"
    "≤ 不超过（成本、用时等越少越好）；= 恰好等于；> 多于；< 少于。定性指标不填。",
    "value": "定量指标填一个数，可连同指标性质和单位写在一起，如"
    + "、".join(f"“{example}”" for example in VALUE_EXAMPLES)
    + "，系统会拆为指标性质、数值和单位；数字用阿拉伯数字（可带小数），"
    "不能写汉字数字，单位最多 10 个字。定性指标填文字目标，建议写明程度或基准。",
}
# The indicator fields whose texts a copied declaration may still date with the old year.
TEXT_FIELDS = ("name", "value", "period_value", "description", "basis", "scoring_rule")


class CategoryField(forms.TypedChoiceField):
    """A taxonomy category chosen from a list the formset loaded once for all its rows (a
    ModelChoiceField would query the taxonomy again for every row it renders and cleans)."""

    def __init__(self, *, level: int, empty_label: str = "—", **kwargs):
        self.level = level
        self.empty_label = empty_label
        self.by_pk: dict[int, IndicatorCategory] = {}
        super().__init__(empty_value=None, required=False, **kwargs)

    def use(self, categories: list[IndicatorCategory]) -> None:
        self.by_pk = {c.pk: c for c in categories if c.level == self.level}
        self.choices = [("", self.empty_label), *((c.pk, c.name) for c in self.by_pk.values())]

    def _coerce(self, value):
        # Not through ``coerce=``: a form deep-copies its fields, and a bound method given
        # as ``coerce`` would still look in the class-level field's (empty) mapping.
        if value in self.empty_values:
            return None
        try:
            return self.by_pk[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def prepare_value(self, value):
        return getattr(value, "pk", value)


class IndicatorForm(StyledForm):
    # A row without level 1 reads 未分类 (the Chongqing tables have no level columns).
    level1 = CategoryField(level=1, label="一级指标", empty_label=UNCLASSIFIED)
    level2 = CategoryField(level=2, label="二级指标")
    name = forms.CharField(label="三级指标", max_length=300, required=False)
    kind = forms.ChoiceField(
        label="指标属性",
        choices=IndicatorKind.choices,
        initial=IndicatorKind.QUANTITATIVE,
        help_text=HELP["kind"],
    )
    operator = forms.ChoiceField(
        label="指标性质",
        choices=[("", "—"), *Operator.choices],
        required=False,
        help_text=HELP["operator"],
    )
    value = forms.CharField(
        label="指标值", max_length=ROW_TEXT, required=False, help_text=HELP["value"]
    )
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
    period_value = forms.CharField(label="实施周期指标值", max_length=ROW_TEXT, required=False)
    description = forms.CharField(
        label="指标内容 / 描述", widget=SMALL_TEXTAREA, required=False, max_length=ROW_TEXT
    )
    basis = forms.CharField(
        label="指标值设定依据", widget=SMALL_TEXTAREA, required=False, max_length=ROW_TEXT
    )
    scoring_rule = forms.CharField(
        label="评（扣）分标准", widget=SMALL_TEXTAREA, required=False, max_length=ROW_TEXT
    )

    def __init__(self, *args, profile: LayoutProfile | None = None, categories=None, **kwargs):
        self.profile = profile
        super().__init__(*args, **kwargs)
        if categories is None:
            categories = list(IndicatorCategory.objects.all())
        self.fields["level1"].use(categories)
        self.fields["level2"].use(categories)
        self.fields["level1"].error_messages["invalid_choice"] = "未知的一级指标。"
        self.fields["level2"].error_messages["invalid_choice"] = "未知的二级指标。"
        for name in HELP:
            # Described by the help shown once above the rows, not repeated in each row.
            self.fields[name].widget.attrs.update(
                {"title": HELP[name], "aria-describedby": f"indicator-help-{name}"}
            )

    def clean(self):
        data = super().clean()
        if not data.get("name") and (self.profile is None or self.profile.names_required):
            self.add_error("name", "请填写指标名称。")
        level1, level2 = data.get("level1"), data.get("level2")
        if level2 is not None and level2.parent_id != getattr(level1, "pk", None):
            parent = level1.name if level1 else "（未选）"
            self.add_error("level2", f"二级指标“{level2.name}”不属于一级指标“{parent}”。")
        if self.profile and not self.has_error("level1"):
            self._add_findings(level_findings(level1 is not None, level2 is not None, self.profile))
        kind = data.get("kind")
        if kind is None:
            return data
        raw = (data.get("value") or "").strip()
        period = (data.get("period_value") or "").strip()
        if kind == IndicatorKind.QUANTITATIVE:
            # One input holds the number, or the text that is not one.
            parsed, parsed_period = parse_value(raw), parse_value(period)
            target, target_text = parsed.number, parsed.text
            period_number, period_text = parsed_period.number, parsed_period.text
            data["target_text"], data["period_text"] = "", ""
        else:
            parsed = None
            target, target_text, period_number, period_text = None, raw, None, period
            data["target_text"], data["period_text"] = raw, period
            if data.get("operator"):
                self.add_error("operator", "定性指标不填指标性质（≥、≤ 等）。")
        data["target_value"], data["period_number"] = target, period_number
        self._add_findings(value_findings(kind, target, target_text, field="value"))
        self._add_findings(
            value_findings(
                kind,
                period_number,
                period_text,
                field="period_value",
                label="实施周期指标值",
                required=False,
            )
        )
        if parsed is not None and parsed.is_numeric:
            if parsed.operator and data.get("operator") and parsed.operator != data["operator"]:
                self.add_error("operator", "指标性质与指标值中的符号不一致。")
            if parsed.unit and data.get("unit") and parsed.unit != data["unit"]:
                self.add_error("unit", "计量单位与指标值中的单位不一致。")
            data["operator"] = data.get("operator") or parsed.operator
            data["unit"] = data.get("unit") or parsed.unit
        return data

    def _add_findings(self, findings) -> None:
        for finding in findings:
            self.add_error(finding.field, finding.message)


class BaseIndicatorFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": "绩效指标最多 %(num)d 项，请删减后再继续。",
        "missing_management_form": "页面数据不完整，请刷新后重新填写本页。",
    }

    def __init__(self, *args, profile: LayoutProfile | None = None, **kwargs):
        self.profile = profile
        categories = list(IndicatorCategory.objects.all())
        super().__init__(
            *args, form_kwargs={"profile": profile, "categories": categories}, **kwargs
        )

    def clean(self):
        # A missing or forged management form is already a non-form error: no rows to read.
        if self.non_form_errors():
            return
        kept = [
            form
            for form in self.forms
            if not self._should_delete_form(form)
            and not (form.empty_permitted and not form.has_changed())
        ]
        if not kept:
            raise ValidationError("请至少填写一项绩效指标。")
        # The weight total is checked while rows have other mistakes (a clerk fixing a name
        # learns at once that the weights are off too); only a weight that is not a number
        # leaves the total unknown, and says so at its own field.
        if self.profile is not None and not any(form.has_error("weight") for form in kept):
            weights = [form.cleaned_data.get("weight") for form in kept]
            findings = weight_findings(weights, self.profile)
            if findings:
                raise ValidationError(messages(findings))
        if any(self.errors):
            return
        self.rows = [
            f.cleaned_data
            for f in self.ordered_forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


# A declaration of up to 200 indicators can be saved; more are refused with a message before
# any row is built (absolute_max), so a forged TOTAL_FORMS costs nothing.
MAX_INDICATORS = 200
IndicatorFormSet = forms.formset_factory(
    IndicatorForm,
    formset=BaseIndicatorFormSet,
    extra=0,
    can_delete=True,
    can_order=True,
    max_num=MAX_INDICATORS,
    absolute_max=MAX_INDICATORS,
    validate_max=True,
)


class IndicatorsForm(CompositeForm, StepForm):
    def __init__(self, *args, **kwargs):
        initial_rows = kwargs.pop("initial_rows", None)
        super().__init__(*args, **kwargs)
        self.nest("rows", IndicatorFormSet, initial=initial_rows or [{}], profile=self.profile)

    @property
    def help(self) -> list[tuple[str, str, str]]:
        """What the step explains once above the rows: (field, label, help)."""
        fields = IndicatorForm.base_fields
        return [(name, fields[name].label, text) for name, text in HELP.items()]

    @property
    def weight_explanation(self) -> str:
        return weight_explanation(self.profile) if self.profile else ""

    def plausibility(self) -> list[Finding]:
        """In a copied declaration, indicator texts that still name the old year; and numeric
        targets far outside those approved earlier for the same indicator (one query)."""
        found = []
        formset = self.nested["rows"]
        formset.is_valid()
        labels = {name: field.label for name, field in IndicatorForm.base_fields.items()}
        rows = [
            form
            for form in self.rows_in_order("rows")
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        histories = histories_of(row.cleaned_data.get("name") for row in rows)
        for number, row in enumerate(rows, start=1):
            row_found = old_year_warnings(
                self, row, TEXT_FIELDS, lambda name, n=number: f"第 {n} 项指标的{labels[name]}"
            )
            row_found += target_history_findings(
                row.cleaned_data.get("target_value"),
                target_history(histories.get(row_key(row.cleaned_data))),
                f"第 {number} 项指标的指标值",
            )
            for finding in row_found:
                row.add_warning(finding)
            found += row_found
        return found

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
