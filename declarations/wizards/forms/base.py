"""What every step form shares: the keyword arguments, Bootstrap classes, messages, fields
marked where a message concerns them, and plausibility warnings the clerk confirms."""

import hashlib

from django import forms
from django.forms.boundfield import BoundField

from declarations.domain.limits import LONG_TEXT
from declarations.domain.profiles import LayoutProfile, layouts_for
from declarations.domain.rules import Finding
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


class MarkedField(BoundField):
    """A field as the wizard shows it: outlined red (``is-invalid``) where it has an error or
    where a message shown at another field concerns it too (``form.flagged``: the parts of
    a sum that disagrees), outlined amber where a plausibility warning concerns it
    (``form.warned``), whichever way it is rendered (crispy or ``field_group``)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        marks = []
        if self.errors or self.name in self.form.flagged:
            marks.append("is-invalid")
            attrs["aria-invalid"] = "true"
        elif self.name in self.form.warned:
            marks += ["border-warning", "is-warned"]
        if marks:
            classes = (attrs.get("class") or widget.attrs.get("class") or "").split()
            attrs["class"] = " ".join(dict.fromkeys([*classes, *marks]))
        return attrs

    @property
    def warnings(self) -> list[str]:
        """The plausibility warnings shown at this field."""
        return self.form.field_warnings.get(self.name, [])


class MarkedForm(forms.Form):
    """A form whose fields are marked by ``MarkedField``."""

    bound_field_class = MarkedField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._unmark()

    def _unmark(self) -> None:
        self.flagged: set[str] = set()
        self.warned: set[str] = set()
        self.field_warnings: dict[str, list[str]] = {}

    def full_clean(self):
        self._unmark()  # a form cleaned again is marked again, not twice
        super().full_clean()

    def add_finding(self, finding: Finding) -> None:
        """A rule's finding as an error at its field (the form's own where it has none),
        with the other fields it concerns marked red."""
        field = finding.field if finding.field in self.fields else None
        self.add_error(field, finding.message)
        self.flagged.update(name for name in finding.related if name in self.fields)

    def add_warning(self, finding: Finding) -> None:
        """A plausibility warning shown at its field, the others it concerns marked amber."""
        shown = self.field_warnings.setdefault(finding.field, [])
        if finding.message not in shown:
            shown.append(finding.message)
        self.warned.update(name for name in (finding.field, *finding.related) if name)


class StyledForm(MarkedForm):
    """A form whose fields carry Bootstrap classes, including formset rows and empty forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


# The name under which a step's confirmation of its warnings is posted.
CONFIRM = "confirm_warnings"


def confirmation_token(warnings: list[Finding]) -> str:
    """What the confirm box posts: a digest of the warnings it confirms, so that a
    confirmation holds for those warnings only; input that warns of something else (a
    changed amount, another old year) needs confirming again."""
    text = "\n".join(f"{w.field}:{w.message}" for w in warnings)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class StepForm(MarkedForm):
    """Common keyword arguments of the step forms, and plausibility warnings.

    A step whose input is allowed but looks like a slip (``plausibility``: an amount typed in
    元 in a 万元 table, an old year left in a copied text) shows each warning at its field
    and a box “我已核对，确认无误”. Until the box is ticked for these very warnings the step
    is not accepted (``is_valid`` is false, ``unconfirmed`` true) though it has no error;
    the wizard keeps the input either way.

    ``copied_from``: the declaration a copy started from; ``fiscal_year``: the year being
    declared (of the basic step), for the warning about an old year."""

    def __init__(
        self,
        *args,
        department: Department,
        kind: str,
        profile: LayoutProfile | None,
        declaration: Declaration | None = None,
        adjusts: Declaration | None = None,
        copied_from: Declaration | None = None,
        fiscal_year: int | None = None,
        **kwargs,
    ):
        self.adjusts = adjusts
        self.department = department
        self.kind = kind
        self.profile = profile
        self.declaration = declaration
        self.copied_from = copied_from
        self.fiscal_year = fiscal_year
        self.warnings: list[Finding] = []
        super().__init__(*args, **kwargs)
        self.style_fields()

    # -- plausibility warnings ----------------------------------------------------------------

    def plausibility(self) -> list[Finding]:
        """The warnings of this step's input (after ``clean``; a step with none returns [])."""
        return []

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        self.warnings = self.plausibility()
        for warning in self.warnings:
            if warning.field in self.fields:
                self.add_warning(warning)

    @property
    def confirm_name(self) -> str:
        return self.add_prefix(CONFIRM)

    @property
    def confirm_token(self) -> str:
        return confirmation_token(self.warnings)

    @property
    def confirmed(self) -> bool:
        return bool(self.warnings) and self.data.get(self.confirm_name) == self.confirm_token

    @property
    def unconfirmed(self) -> bool:
        """Warnings the clerk has not confirmed (read after validation)."""
        return bool(self.warnings) and not self.confirmed

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return valid and not self.unconfirmed

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
