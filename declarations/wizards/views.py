"""The wizard views: django-formtools' NamedUrlWizardView over a database draft.

What differs from formtools' defaults, and why:
- storage is the draft row (``DraftStorage``), found and access-checked from the URL on every
  request, so two drafts in two tabs never share data and a draft survives log-out;
- a GET never resets a draft, and the last step saves on POST only (formtools saves on a GET
  of its "done" URL);
- "上一步" and "暂存" keep what was typed on the current page even if it is not valid yet;
- a failed save keeps the draft and shows why, instead of resetting the wizard;
- a step with plausibility warnings (``StepForm.plausibility``) is accepted once the clerk
  has confirmed them, and the last step sends the clerk back to a step whose warnings are
  not confirmed (they may have changed since).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from formtools.wizard.views import NamedUrlWizardView, StepsHelper

from declarations.domain.choices import Kind, Layout
from declarations.domain.rules import not_a_number_template
from declarations.domain.values import value_grammar
from declarations.exports.layouts import profile_of
from declarations.models import Budget, DeclarationDraft, Department, Project
from declarations.services import (
    DeclarationInput,
    DuplicateDeclaration,
    EditConflict,
    adjustment_number,
    existing_declaration,
    save_declaration,
)
from declarations.wizards.prefill import particulars_initial
from declarations.wizards.preview import preview
from declarations.wizards.steps import DEPARTMENT_STEPS, PROJECT_STEPS, STEP_TITLES
from declarations.wizards.storage import DraftStorage
from indicators.models import IndicatorCategory

SAVED_DRAFTS = "kexie_saved_drafts"


def remember_saved_draft(request, draft_id: int, declaration_id: int) -> None:
    saved = request.session.get(SAVED_DRAFTS, {})
    saved[str(draft_id)] = declaration_id
    # The last few are enough: this only answers a late second click on 保存.
    request.session[SAVED_DRAFTS] = dict(list(saved.items())[-20:])


def saved_declaration_of(request, draft_id: int) -> int | None:
    return request.session.get(SAVED_DRAFTS, {}).get(str(draft_id))


def needs_fixing(form) -> bool:
    """Whether a validated step form has errors (not merely unconfirmed warnings)."""
    return bool(form.errors) or getattr(form, "has_nested_errors", False)


class DeclarationWizard(NamedUrlWizardView):
    template_name = "declarations/wizard.html"
    url_name = "wizard_step"

    # -- storage and URLs -------------------------------------------------------------------

    def dispatch(self, request, *args, draft, **kwargs):
        self.draft = draft
        self.prefix = f"draft_{draft.pk}"
        self.storage = DraftStorage(draft, request)
        self.steps = StepsHelper(self)
        response = TemplateView.dispatch(self, request, *args, **kwargs)
        self.draft.refresh_title()
        self.storage.update_response(response)
        return response

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"draft_id": self.draft.pk, "step": step})

    def get(self, *args, **kwargs):
        step = kwargs.get("step")
        if step == self.done_step_name:
            return redirect(self.get_step_url(self.steps.last))
        if step not in (None, self.steps.first) and self._stale():
            return self._back_to_basic()
        return super().get(*args, **kwargs)

    def post(self, *args, **kwargs):
        if "wizard_save_draft" in self.request.POST:
            self._keep_current_input()
            messages.success(self.request, "已暂存。可在首页“未完成的申报”中继续填写。")
            return redirect("home")
        posted = self.request.POST.get(f"{self.prefix}-current_step")
        if posted not in self.get_form_list():
            # A replayed or forged page: formtools would look the step up and fail.
            messages.error(self.request, "页面已过期或步骤无效，请重新填写本页。")
            return redirect(self.get_step_url(self.steps.current))
        # Whatever the clerk typed on this page is kept in the draft, valid or not: after
        # 上一步, or after a refused 下一步 and leaving, the page shows it again with its
        # messages. formtools would keep only valid input.
        self._keep_current_input()
        goto = self.request.POST.get("wizard_goto_step")
        if posted != self.steps.first and goto not in self.get_form_list() and self._stale():
            return self._back_to_basic()
        return super().post(*args, **kwargs)

    def _stale(self) -> bool:
        """The basic step no longer holds (a colleague saved the same project and year
        first; the year was emptied and the back button used): later steps depend on it."""
        return self.profile is None

    def _back_to_basic(self):
        messages.warning(
            self.request, "基本信息需要先修改：请完成基本信息后再继续。您已填写的内容已保留。"
        )
        return redirect(self.get_step_url(self.steps.first))

    def _keep_current_input(self):
        current = self.request.POST.get(f"{self.prefix}-current_step", self.steps.current)
        if current in self.get_form_list():
            data = {k: v for k, v in self.request.POST.lists() if k != "csrfmiddlewaretoken"}
            self.storage.set_step_data(current, data)

    # -- forms ------------------------------------------------------------------------------

    @property
    def basic(self) -> dict | None:
        """The basic step's cleaned data, or None while it does not hold."""
        if not hasattr(self, "_basic"):
            self._basic = self.get_cleaned_data_for_step(self.steps.first)
        return self._basic

    @property
    def profile(self):
        if not hasattr(self, "_profile"):
            self._profile = profile_of(self.basic["layout"]) if self.basic else None
        return self._profile

    def get_form_kwargs(self, step=None):
        step = step or self.steps.current
        kwargs = {
            "department": self.draft.department,
            "kind": self.draft.kind,
            "profile": None,
            "declaration": self.draft.declaration,
            "adjusts": self.draft.adjusts,
        }
        if step == self.steps.first:
            return kwargs
        kwargs.update(
            profile=self.profile,
            copied_from=self.draft.copied_from,
            fiscal_year=(self.basic or {}).get("fiscal_year"),
        )
        if step == "budget" and self.draft.declaration_id:
            kwargs["budget"] = Budget.objects.filter(declaration=self.draft.declaration).first()
        if step == "targets":
            kwargs["budget_amounts"] = self._budget_amounts()
        return kwargs

    def _budget_amounts(self) -> dict:
        """The amounts of the budget step as stored (yuan), where they hold; for the targets
        step, which compares the key tasks' funds with them."""
        data = self.storage.get_step_data("budget")
        if data is None or self.profile is None:
            return {}
        form = self.get_form(step="budget", data=data)
        if form.errors or form.has_nested_errors:
            return {}
        return form.typed_in_yuan()

    def get_form_initial(self, step):
        """A new declaration starts from the shared rows: the department's current
        particulars, and the chosen project's code, period and narratives as last declared.
        (Edits and copies start from their declaration instead; see ``prefill``.)"""
        department = self.draft.department
        if step == self.steps.first:
            # Declarations are filed in the year before the budget year they plan.
            initial = {"fiscal_year": timezone.localdate().year + 1}
            if self.draft.kind == Kind.DEPARTMENT:
                initial.update({n: getattr(department, n) for n in Department.STAFF_FIELDS})
            return initial
        if step in ("narratives", "targets"):
            basic = self.basic or {}
            # For a layout that asks them (Kunming), also when an earlier layout did not.
            initial = self._particulars_initial()
            project = basic.get("project")
            if project is not None:
                initial.update({name: getattr(project, name) for name in Project.NARRATIVE_FIELDS})
            return initial
        return {}

    def _particulars_initial(self) -> dict:
        draft = self.draft
        source = draft.declaration or draft.copied_from or draft.adjusts
        return particulars_initial(
            draft.department, source, editing=draft.declaration_id is not None
        )

    def _kept_particulars(self, asked) -> dict:
        """The particulars an edited project declaration keeps from the layout it was saved
        in when it is saved in one that does not ask them (Kunming → Chongqing): the clerk
        typed them for this declaration, and the save would otherwise replace them with
        the department's (see ``services.save_declaration``); asked again, they are
        pre-filled from here."""
        own = self.draft.declaration
        if own is None:
            return {}
        typed = profile_of(own.layout).department_fields
        return {name: getattr(own, name) for name in typed if name not in asked}

    def validated_forms(self) -> dict:
        """Every step's form bound to its stored input and validated; only the basic step's
        when that one does not hold, since the others are built from it."""
        forms = {}
        for step in self.get_form_list():
            form = self.get_form(step=step, data=self.storage.get_step_data(step))
            form.is_valid()
            forms[step] = form
            if step == self.steps.first and not form.is_valid():
                break
        return forms

    def collect(self, forms) -> DeclarationInput:
        basic = forms["basic"].cleaned_data
        data = DeclarationInput(
            kind=self.draft.kind, fiscal_year=basic["fiscal_year"], layout=basic["layout"]
        )
        if self.draft.kind == Kind.PROJECT:
            data.project = basic.get("project")
            data.project_name = (basic.get("project_name") or "").strip()
            data.project_code = basic.get("project_code") or ""
            data.period_start, data.period_end = basic.get("period_start"), basic.get("period_end")
        else:
            data.particulars = {name: basic.get(name) or "" for name in Department.STAFF_FIELDS}
        data.adjustment_reason = (basic.get("adjustment_reason") or "").strip()
        budget = forms["budget"]
        data.amounts = budget.amounts_in_yuan()
        if "plan" in budget.nested:
            data.spending_plan = budget.nested["plan"].points
        texts_form = forms.get("narratives") or forms.get("targets")
        data.texts = texts_form.texts
        if self.draft.kind == Kind.PROJECT:
            # A project table that prints the implementing unit (Kunming) asks for its
            # particulars: the declaration's own, which a later save does not replace with
            # the department's as long as the wizard asks them (pre-filled from the
            # declaration when editing it) or keeps them (``_kept_particulars``).
            asked = texts_form.particulars
            data.particulars = {**self._kept_particulars(asked), **asked}
        data.key_tasks = getattr(texts_form, "tasks", [])
        data.indicators = forms["indicators"].rows
        return data

    # -- saving -----------------------------------------------------------------------------

    def render_done(self, form, **kwargs):
        forms = self.validated_forms()
        for step, step_form in forms.items():
            if not step_form.is_valid():
                if needs_fixing(step_form):
                    messages.error(self.request, f"“{STEP_TITLES[step]}”中有需要修改的内容。")
                else:
                    messages.warning(
                        self.request, f"“{STEP_TITLES[step]}”中有标黄的内容尚待核对确认。"
                    )
                return self.render_revalidation_failure(step, step_form, **kwargs)
        return self.done(list(forms.values()), form_dict=forms, **kwargs)

    def done(self, form_list, form_dict=None, **kwargs):
        data = self.collect(form_dict)
        with transaction.atomic():
            # Two clicks on 保存 arrive as two requests; the draft's row lock lets the first
            # save and the second find the draft gone and follow it to the declaration.
            if not DeclarationDraft.objects.select_for_update().filter(pk=self.draft.pk).exists():
                return self._saved_already(data)
            try:
                declaration = save_declaration(
                    data,
                    department=self.draft.department,
                    by=self.request.user,
                    declaration=self.draft.declaration,
                    expected_version=self.storage.extra_data.get("version"),
                    adjusts=self.draft.adjusts,
                )
            except (DuplicateDeclaration, EditConflict, PermissionDenied) as exc:
                return self.render(form_list[-1], save_errors=[str(exc)])
            except ValidationError as exc:
                return self.render(form_list[-1], save_errors=exc.messages)
            draft_id = self.draft.pk
            self.draft.delete()
        # A second click that arrives after this one has finished finds the draft gone;
        # the session remembers where it went (see entry.resume).
        remember_saved_draft(self.request, draft_id, declaration.pk)
        messages.success(self.request, "申报表已保存。")
        return redirect("declaration_detail", pk=declaration.pk)

    def _saved_already(self, data: DeclarationInput):
        declaration = self.draft.declaration
        if declaration is None:
            project = (
                data.project
                or Project.objects.filter(
                    department=self.draft.department, name=data.project_name
                ).first()
            )
            declaration = existing_declaration(
                self.draft.department,
                data.kind,
                project,
                data.fiscal_year,
                adjustment_number(self.draft.adjusts),
            )
        if declaration is None:
            messages.info(self.request, "该草稿已保存或已放弃。")
            return redirect("home")
        messages.success(self.request, "申报表已保存。")
        return redirect("declaration_detail", pk=declaration.pk)

    # -- page -------------------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        if form.is_bound:
            form.is_valid()  # its errors and warnings, for the page
        context = super().get_context_data(form=form, **kwargs)
        steps = list(self.get_form_list())
        context.update(
            draft=self.draft,
            step_titles=[(s, STEP_TITLES[s]) for s in steps],
            step_title=STEP_TITLES[self.steps.current],
            profile=self.profile,
            profile_label=self._layout_label(),
            save_errors=kwargs.get("save_errors", []),
        )
        declaration = self.draft.declaration
        if declaration is not None and declaration.review_round:
            latest = list(
                declaration.review_comments.filter(
                    review_round=declaration.review_round
                ).select_related("author")
            )
            context["review_comments"] = [c for c in latest if c.indicator_order is None]
            by_order: dict[str, list] = {}
            for comment in latest:
                if comment.indicator_order is not None:
                    by_order.setdefault(str(comment.indicator_order), []).append(comment)
            context["comments_by_order"] = by_order
        if self.steps.current == "indicators":
            context["taxonomy"] = [
                {"id": c.pk, "name": c.name, "parent": c.parent_id, "level": c.level}
                for c in IndicatorCategory.objects.all()
            ]
            # The browser checks a value with the server's grammar and says what the server
            # would say; it keeps no grammar of its own.
            context["value_grammar"] = {
                **value_grammar(),
                "not_a_number": not_a_number_template(),
            }
        if self.steps.current == self.steps.last:
            forms = self.validated_forms()
            earlier = {s: f for s, f in forms.items() if s != self.steps.last}
            invalid = [STEP_TITLES[s] for s, f in earlier.items() if needs_fixing(f)]
            unconfirmed = [
                STEP_TITLES[s]
                for s, f in earlier.items()
                if not needs_fixing(f) and not f.is_valid()
            ]
            context["invalid_steps"] = invalid
            context["unconfirmed_steps"] = unconfirmed
            if not invalid and not unconfirmed:
                context["preview"] = preview(
                    self.collect(forms),
                    department=self.draft.department,
                    by=self.request.user,
                    declaration=self.draft.declaration,
                    expected_version=self.storage.extra_data.get("version"),
                    adjusts=self.draft.adjusts,
                )
        return context

    def _layout_label(self) -> str:
        basic = self.get_cleaned_data_for_step(self.steps.first)
        return Layout(basic["layout"]).label if basic else ""


PROJECT_WIZARD = DeclarationWizard.as_view(form_list=PROJECT_STEPS, url_name="wizard_step")
DEPARTMENT_WIZARD = DeclarationWizard.as_view(form_list=DEPARTMENT_STEPS, url_name="wizard_step")
