"""Forms of the declarations app that are not part of a wizard."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from declarations import quality, search
from declarations.dashboard import WAITING, WAITING_BY_KEY, waited
from declarations.domain.choices import Kind, Status
from declarations.exports.service import FORMATS
from declarations.models import Department

MAX_SEARCH_WORDS = 5


# The largest primary key a database column holds (a signed 64-bit integer).
MAX_PK = 2**63 - 1


class ModelChoicesField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that refuses, as an invalid choice, a key no database column
    can hold (SQLite raises OverflowError on ``pk__in`` with such a number)."""

    def _check_values(self, value):
        for key in value:
            try:
                number = int(str(key).strip())
            except ValueError:
                continue  # not a number: the parent reports it as invalid
            if not -MAX_PK <= number <= MAX_PK:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)


def attach_refusal(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal at the form's fields it names (the rest above the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def errors_as_messages(request, form: forms.Form) -> None:
    """A form's errors as messages of the next page, each with its field's label."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def style_fields(form: forms.Form, small: bool = False) -> None:
    """Bootstrap classes for every field of ``form``."""
    for field in form.fields.values():
        base = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", f"{base} {base}-sm" if small else base)


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
        style_fields(self)
        years = sorted(set(declarations.values_list("fiscal_year", flat=True)), reverse=True)
        self.fields["fiscal_year"].choices = [(y, f"{y}年") for y in years]
        self.fields["department"].queryset = Department.objects.filter(
            pk__in=declarations.values("department")
        )
        self.fields["fiscal_year"].error_messages["invalid_choice"] = "没有该年度的可导出申报表。"
        self.fields["department"].error_messages["invalid_choice"] = "无权导出该单位的申报表。"


def matching(declarations, query: str):
    """The declarations whose project, department or one of whose indicators is named by
    every word of ``query`` (words split at spaces; case-insensitive), each word looked up
    the way that is fast for how often it occurs (declarations/search.py)."""
    for word in query.split()[:MAX_SEARCH_WORDS]:
        declarations = declarations.filter(search.word_condition(word))
    return declarations


class DeclarationFilterForm(forms.Form):
    """Filters and sort order of a declaration list; bad values are reported, not guessed."""

    SORTS = {
        # By the department name as declared, which the lists show and index.
        "-fiscal_year": ("-fiscal_year", "department_name", "pk"),
        "fiscal_year": ("fiscal_year", "department_name", "pk"),
        "-updated_at": ("-updated_at", "pk"),
        "department": ("department_name", "-fiscal_year", "pk"),
    }
    SORT_LABELS = {
        "-fiscal_year": "年度（新→旧）",
        "fiscal_year": "年度（旧→新）",
        "-updated_at": "最近修改",
        "department": "单位",
    }

    q = forms.CharField(
        label="关键词",
        required=False,
        max_length=100,
        strip=True,
        error_messages={"max_length": "关键词不能超过 100 字。"},
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "项目、单位或指标名称", "size": 18}
        ),
    )
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
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Status.choices]
    )
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型"), *Kind.choices]
    )
    sort = forms.ChoiceField(label="排序", required=False)
    # The filters the dashboard's figures link to. Hidden until a link (or the user) sets one,
    # then shown as a choice that can be cleared.
    department = forms.ModelChoiceField(
        label="单位",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "没有可查看的该单位申报表。"},
    )
    missing = forms.ChoiceField(
        label="指标覆盖",
        required=False,
        widget=forms.HiddenInput,
        choices=[("", "不限"), *quality.MISSING.items()],
        error_messages={"invalid_choice": "指标覆盖只能选择列出的缺项。"},
    )
    vague = forms.ChoiceField(
        label="目标表述",
        required=False,
        widget=forms.HiddenInput,
        choices=[("", "不限"), ("1", "含无法衡量的目标")],
        error_messages={"invalid_choice": "目标表述筛选只能为 1（含无法衡量的目标）或留空。"},
    )
    qualitative = forms.ChoiceField(
        label="指标属性",
        required=False,
        widget=forms.HiddenInput,
        choices=[("", "不限"), ("1", "含定性指标")],
        error_messages={"invalid_choice": "指标属性筛选只能为 1（含定性指标）或留空。"},
    )
    waiting = forms.ChoiceField(
        label="等待时长",
        required=False,
        widget=forms.HiddenInput,
        choices=[("", "不限"), *((bucket.key, bucket.label) for bucket in WAITING)],
        error_messages={"invalid_choice": "等待时长只能选择列出的区间。"},
    )
    LINKED = ("department", "missing", "vague", "qualitative", "waiting")
    # Filters by a rule over the declaration's indicators, or by the time it has waited.
    RULES = {
        "missing": quality.without,
        "vague": lambda declarations, _: quality.with_vague_targets(declarations),
        "qualitative": lambda declarations, _: quality.with_qualitative(declarations),
        "waiting": lambda declarations, key: declarations.filter(
            waited(WAITING_BY_KEY[key], timezone.now())
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = list(self.SORT_LABELS.items())
        style_fields(self, small=True)

    def apply(self, declarations):
        """The declarations filtered and sorted as asked; unfiltered if the input is bad.

        A department is one of those of ``declarations`` (unless the view gave the choice):
        another is refused like one that does not exist, and reveals nothing."""
        field = self.fields["department"]
        if field.queryset.query.is_empty():
            field.queryset = Department.objects.filter(pk__in=declarations.values("department"))
        default = next(iter(self.SORTS))
        if not self.is_valid():
            return declarations.order_by(*self.SORTS[default])
        for name, value in self.cleaned_data.items():
            if name == "q":
                declarations = matching(declarations, value)
            elif name in self.RULES and value:
                declarations = self.RULES[name](declarations, value)
            elif name != "sort" and value not in (None, ""):
                declarations = declarations.filter(**{name: value})
        return declarations.order_by(*self.SORTS[self.cleaned_data.get("sort") or default])

    def full_clean(self):
        super().full_clean()
        self._show_linked()

    def _show_linked(self) -> None:
        """A linked filter that is set, or wrong, as a choice beside the others."""
        for name in self.LINKED:
            field = self.fields[name]
            if not isinstance(field.widget, forms.HiddenInput):
                continue  # the view shows it anyway (the queue's departments)
            if not (self.data.get(name) or name in self.errors):
                continue
            if name == "department":
                chosen = self.cleaned_data.get("department") if name not in self.errors else None
                choices = [("", "全部单位")]
                if chosen is not None:
                    choices.append((chosen.pk, chosen.display_short_name))
            else:
                choices = field.choices
            field.widget = forms.Select(
                choices=choices, attrs={"class": "form-select form-select-sm"}
            )


class QuickSelect(forms.Select):
    """A select of many rows (the 500 departments of a reviewer's division) drawn in one pass
    and read with one plain query: Django's Select renders a template per option (a third of
    a millisecond each) and reads a model's rows through a server-side cursor."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            field = choices.field
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            rows = field.queryset.only("name")
            choices = empty + [(row.pk, field.label_from_instance(row)) for row in rows]
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(label)}</option>"
            for key, label in choices
        )
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))


class QueueFilterForm(DeclarationFilterForm):
    """The reviewer's queue: the list's filters, a department, and the submission order."""

    SORTS = {"submitted": ("submitted_at", "pk"), "-submitted": ("-submitted_at", "pk")}
    SORT_LABELS = {"submitted": "提交时间（早→晚）", "-submitted": "提交时间（晚→早）"}

    department = forms.ModelChoiceField(
        label="单位",
        queryset=Department.objects.none(),
        required=False,
        empty_label="全部单位",
        widget=QuickSelect,
    )
    field_order = ["q", "fiscal_year", "department", "kind", "status", "sort"]

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        # Drafts never reach the queue.
        self.fields["status"].choices = [
            ("", "全部状态"),
            *((value, label) for value, label in Status.choices if value != Status.DRAFT),
        ]
        self.fields["status"].error_messages["invalid_choice"] = "审核队列中没有该状态。"
