"""What every step form shares: the keyword arguments, Bootstrap classes, messages."""

from django import forms

from declarations.domain.limits import LONG_TEXT
from declarations.domain.profiles import LayoutProfile, layouts_for
from declarations.forms import style_fields
from declarations.models import Declaration, Department
from declarations.services import adjustment_number, existing_declaration

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

    def _add_adjustment_reason(self):
        """An adjustment (and the edit of one) says what it changes and why."""
        if self.adjustment_of is None:
            return
        self.fields["adjustment_reason"] = forms.CharField(
            label="调整说明",
            widget=TEXTAREA,
            max_length=LONG_TEXT,
            help_text="说明调整了哪些内容、为什么调整；审核人员会在与已通过版本的对比旁看到。",
            error_messages={"required": "调整版本请填写调整说明：调整了什么、为什么调整。"},
        )

    @property
    def adjustment_of(self) -> Declaration | None:
        if self.declaration is not None:
            return self.declaration.adjusts
        return self.adjusts

    def _duplicate(self, project, fiscal_year: int) -> Declaration | None:
        """The declaration that already holds this project (or the department) and year at
        this place of its adjustment chain: the database's own uniqueness rule, asked before
        saving so the clerk reads it at the year field."""
        number = (
            self.declaration.adjustment_no
            if self.declaration is not None
            else adjustment_number(self.adjusts)
        )
        existing = existing_declaration(self.department, self.kind, project, fiscal_year, number)
        if existing is not None and existing == self.declaration:
            return None
        return existing


class ReviewForm(StepForm):
    """The last step: nothing to fill in; saving validates everything once more."""
