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
