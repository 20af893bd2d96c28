"""Forms of the declarations app that are not part of a wizard."""

from django import forms

from declarations.exports.service import FORMATS
from declarations.models import Department


class BulkExportForm(forms.Form):
    """Choose a year (and optionally a department) of the declarations one may see."""

    fiscal_year = forms.TypedChoiceField(label="预算年度", coerce=int)
    department = forms.ModelChoiceField(
        label="单位", queryset=Department.objects.none(), required=False, empty_label="全部单位"
    )
    format = forms.ChoiceField(
        label="格式", choices=[(key, f.label) for key, f in FORMATS.items()], initial="xlsx"
    )

    def __init__(self, *args, declarations, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
        years = sorted(set(declarations.values_list("fiscal_year", flat=True)), reverse=True)
        self.fields["fiscal_year"].choices = [(y, f"{y}年") for y in years]
        self.fields["department"].queryset = Department.objects.filter(
            pk__in=declarations.values("department")
        )
        self.fields["fiscal_year"].error_messages["invalid_choice"] = "没有该年度的可导出申报表。"
        self.fields["department"].error_messages["invalid_choice"] = "无权导出该单位的申报表。"


SORTS = {
    "-fiscal_year": ("-fiscal_year", "department__name", "pk"),
    "fiscal_year": ("fiscal_year", "department__name", "pk"),
    "-updated_at": ("-updated_at", "pk"),
    "department": ("department__name", "-fiscal_year", "pk"),
}


class DeclarationFilterForm(forms.Form):
    """Filters and sort order of the declaration list; bad values are reported, not guessed."""

    fiscal_year = forms.IntegerField(
        label="预算年度",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "年度请填写四位数字。",
            "min_value": "年度不能早于 2000 年。",
            "max_value": "年度不能晚于 2100 年。",
        },
    )
    status = forms.ChoiceField(label="状态", required=False)
    kind = forms.ChoiceField(label="类型", required=False)
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[
            ("-fiscal_year", "年度（新→旧）"),
            ("fiscal_year", "年度（旧→新）"),
            ("-updated_at", "最近修改"),
            ("department", "单位"),
        ],
    )

    def __init__(self, *args, **kwargs):
        from declarations.models.declarations import Kind, Status

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "全部状态"), *Status.choices]
        self.fields["kind"].choices = [("", "全部类型"), *Kind.choices]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )

    def apply(self, declarations):
        if not self.is_valid():
            return declarations.order_by(*SORTS["-fiscal_year"])
        data = self.cleaned_data
        if data.get("fiscal_year"):
            declarations = declarations.filter(fiscal_year=data["fiscal_year"])
        if data.get("status"):
            declarations = declarations.filter(status=data["status"])
        if data.get("kind"):
            declarations = declarations.filter(kind=data["kind"])
        return declarations.order_by(*SORTS[data.get("sort") or "-fiscal_year"])
