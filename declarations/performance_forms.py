"""The forms of the monitoring report and the self-evaluation pages.

Amounts are typed in the declaration's unit (万元 or 元) and handed to the services in yuan,
exactly. Every field has its Chinese messages; a refused save keeps everything typed.
"""

from decimal import Decimal

from django import forms

from declarations.domain.evaluation import Band
from declarations.domain.limits import LONG_TEXT, ROW_TEXT
from declarations.domain.money import MoneyUnit, format_amount, from_unit, plain_decimal
from declarations.domain.monitoring import DeviationCause, Judgement, Likelihood
from declarations.domain.profiles import profile_of
from declarations.forms import style_fields


def money_unit_of(declaration) -> str:
    return profile_of(declaration.layout).money_unit


def _amount(label: str, unit: str) -> forms.DecimalField:
    places = 6 if unit == MoneyUnit.WAN_YUAN else 2
    unit_label = MoneyUnit(unit).label
    return forms.DecimalField(
        label=f"{label}（{unit_label}）",
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=places,
        error_messages={
            "invalid": f"请填写金额数字（单位：{unit_label}）。",
            "min_value": "金额不能为负数。",
            "max_decimal_places": f"金额最多精确到分（{unit_label}小数点后 {places} 位）。",
            "max_digits": f"金额过大，请核对单位（{unit_label}）。",
            "max_whole_digits": f"金额过大，请核对单位（{unit_label}）。",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control text-end"}),
    )


def _figure(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=4,
        error_messages={
            "invalid": "请填写数字。",
            "min_value": "完成值不能为负数。",
            "max_decimal_places": "最多保留 4 位小数。",
            "max_digits": "数字过大。",
            "max_whole_digits": "数字过大。",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control text-end"}),
    )


def _choice(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", "—"), *choices],
        error_messages={"invalid_choice": "请从列表中选择。"},
    )


def _text(label: str, limit: int, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        error_messages={"max_length": f"{label}不能超过 {limit} 字。"},
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(forms.Form):
    """The report's own fields and one group of fields per indicator (prefix ``i<pk>-``)."""

    amount_fields: tuple[str, ...] = ()

    def __init__(self, *args, subject, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.unit = money_unit_of(subject.declaration)
        self.entries = list(entries)
        self.add_own_fields()
        for entry in self.entries:
            for name, field in self.entry_fields(entry).items():
                self.fields[f"i{entry.indicator_id}-{name}"] = field
        style_fields(self, small=True)

    def initial_amount(self, value: Decimal | None) -> str:
        return "" if value is None else format_amount(value, self.unit)

    def rows(self):
        """Per entry: the entry and its bound fields by name (for the template)."""
        for entry in self.entries:
            prefix = f"i{entry.indicator_id}-"
            yield (
                entry,
                {
                    name.removeprefix(prefix): self[name]
                    for name in self.fields
                    if name.startswith(prefix)
                },
            )

    def values(self) -> dict:
        """The report's own fields for the service, amounts in yuan."""
        values = {}
        for name in self.own_names:
            value = self.cleaned_data.get(name)
            if name in self.amount_fields:
                value = None if value is None else from_unit(value, self.unit)
            values[name] = value if value is not None else ("" if name in self.text_names else None)
        return values

    def entry_values(self) -> dict[int, dict]:
        rows = {}
        for entry in self.entries:
            prefix = f"i{entry.indicator_id}-"
            rows[entry.indicator_id] = {
                name.removeprefix(prefix): (
                    "" if value is None and name.removeprefix(prefix) in self.entry_texts else value
                )
                for name, value in self.cleaned_data.items()
                if name.startswith(prefix)
            }
        return rows


class MonitoringForm(ReportForm):
    amount_fields = ("executed", "expected_executed")
    own_names = ("executed", "expected_executed", "measures")
    text_names = ("measures",)
    entry_texts = ("judgement", "expected_judgement", "likelihood", "cause", "note")

    def add_own_fields(self):
        months = self.subject.round.data_month
        self.fields["executed"] = _amount(f"1-{months}月执行数", self.unit)
        self.fields["expected_executed"] = _amount("全年预计执行数", self.unit)
        self.fields["measures"] = _text("纠偏措施", LONG_TEXT, rows=3)
        for name in self.amount_fields:
            self.initial.setdefault(name, self.initial_amount(getattr(self.subject, name)))
        self.initial.setdefault("measures", self.subject.measures)

    def entry_fields(self, entry) -> dict:
        months = self.subject.round.data_month
        fields = {}
        if entry.indicator.is_measured:
            fields["actual"] = _figure(f"1-{months}月实际完成值")
            fields["expected"] = _figure("全年预计完成值")
        else:
            fields["judgement"] = _choice("目前完成情况", Judgement.choices)
            fields["expected_judgement"] = _choice("全年预计完成情况", Judgement.choices)
        fields["likelihood"] = _choice("完成目标可能性", Likelihood.choices)
        fields["cause"] = _choice("偏差原因", DeviationCause.choices)
        fields["note"] = _text("偏差说明 / 备注", ROW_TEXT, rows=1)
        prefix = f"i{entry.indicator_id}-"
        for name in fields:
            value = getattr(entry, name)
            self.initial.setdefault(
                prefix + name,
                plain_decimal(value) if isinstance(value, Decimal) else value,
            )
        return fields


class EvaluationForm(ReportForm):
    amount_fields = ("budget", "executed")
    own_names = ("budget", "executed", "overall_result")
    text_names = ("overall_result",)
    entry_texts = ("actual_text", "band", "cause")

    def __init__(self, *args, points_editable: bool, **kwargs):
        self.points_editable = points_editable
        super().__init__(*args, **kwargs)

    def add_own_fields(self):
        self.fields["budget"] = _amount("全年预算数", self.unit)
        self.fields["executed"] = _amount("全年执行数", self.unit)
        self.fields["overall_result"] = _text("年度总体目标实际完成情况", LONG_TEXT, rows=3)
        for name in self.amount_fields:
            self.initial.setdefault(name, self.initial_amount(getattr(self.subject, name)))
        self.initial.setdefault("overall_result", self.subject.overall_result)

    def entry_fields(self, entry) -> dict:
        fields = {}
        if self.points_editable:
            fields["points"] = forms.DecimalField(
                label="分值",
                required=True,
                min_value=0,
                max_value=90,
                max_digits=5,
                decimal_places=2,
                error_messages={
                    "required": "请填写分值。",
                    "invalid": "分值请填写数字。",
                    "min_value": "分值不能为负数。",
                    "max_value": "单项分值不能超过 90 分。",
                    "max_decimal_places": "分值最多保留两位小数。",
                },
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end"}),
            )
        if entry.indicator.is_measured:
            fields["actual"] = _figure("全年实际完成值")
        else:
            fields["actual_text"] = _text("实际完成情况", ROW_TEXT, rows=1)
            fields["band"] = _choice("完成程度", Band.choices)
            fields["score"] = forms.DecimalField(
                label="得分",
                required=False,
                min_value=0,
                max_digits=5,
                decimal_places=2,
                error_messages={
                    "invalid": "得分请填写数字。",
                    "min_value": "得分不能为负数。",
                    "max_decimal_places": "得分最多保留两位小数。",
                    "max_digits": "得分过大。",
                    "max_whole_digits": "得分过大。",
                },
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end"}),
            )
        fields["cause"] = _text("偏差原因分析及改进措施", ROW_TEXT, rows=1)
        prefix = f"i{entry.indicator_id}-"
        for name in fields:
            value = getattr(entry, name)
            self.initial.setdefault(
                prefix + name,
                plain_decimal(value) if isinstance(value, Decimal) else value,
            )
        return fields

    def clean(self):
        data = super().clean()
        for entry in self.entries:
            prefix = f"i{entry.indicator_id}-"
            score, points = data.get(prefix + "score"), data.get(prefix + "points", entry.points)
            if score is not None and points is not None and score > points:
                self.add_error(prefix + "score", f"得分不能超过分值 {plain_decimal(points)} 分。")
        return data
