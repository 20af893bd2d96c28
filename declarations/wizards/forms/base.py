"""What every step form shares: the keyword arguments, Bootstrap classes, messages."""

from django import forms

from declarations.exports.layouts import layouts_for
from declarations.exports.layouts.profile import LayoutProfile
from declarations.forms import style_fields
from declarations.models import Declaration, Department

YEAR_MESSAGES = {
    "min_value": "预算年度不能早于 2000 年。",
    "max_value": "预算年度不能晚于 2100 年。",
    "invalid": "请填写四位数的年份。",
    "required": "请填写预算年度。",
}
TEXTAREA = forms.Textarea(attrs={"rows": 4})
SMALL_TEXTAREA = forms.Textarea(attrs={"rows": 2})


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


class ReviewForm(StepForm):
    """The last step: nothing to fill in; saving validates everything once more."""
