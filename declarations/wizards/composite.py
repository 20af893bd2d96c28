"""A form with formsets inside it, so that one wizard step can hold both.

formtools gives each step one form class; a budget step needs amounts and a spending plan, a
targets step needs texts and key tasks. ``CompositeForm`` validates its nested formsets with
itself and reports them as one.
"""

from django import forms
from django.forms.formsets import BaseFormSet


class CompositeForm(forms.Form):
    """A form whose ``nested`` formsets share its data, prefix and validity."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.nested: dict[str, BaseFormSet] = {}

    def nest(self, name: str, formset_class, initial=None, **kwargs) -> BaseFormSet:
        formset = formset_class(
            data=self.data if self.is_bound else None,
            prefix=f"{self.prefix}-{name}" if self.prefix else name,
            initial=initial,
            **kwargs,
        )
        self.nested[name] = formset
        return formset

    def is_valid(self) -> bool:
        own = super().is_valid()
        return all([own, *(formset.is_valid() for formset in self.nested.values())])

    def rows_in_order(self, name: str) -> list:
        """The forms of a nested formset in the order the clerk put them (their ORDER field),
        so that a page shown again after 上一步 or an error keeps that order."""
        formset = self.nested[name]

        def position(indexed):
            index, form = indexed
            raw = form["ORDER"].value() if "ORDER" in form.fields else None
            try:
                return (int(raw), index)
            except (TypeError, ValueError):
                return (index + 1, index)

        return [form for _, form in sorted(enumerate(formset.forms), key=position)]

    @property
    def has_nested_errors(self) -> bool:
        return any(
            formset.total_error_count() for formset in self.nested.values() if formset.is_bound
        )


def initial_data(form) -> dict[str, list[str]]:
    """The POST data an unbound form (or formset) would send with its initial values.

    Used to open an existing declaration in the wizard with every step already filled in.
    """
    data: dict[str, list[str]] = {}
    if isinstance(form, BaseFormSet):
        for field in form.management_form:
            data[field.html_name] = [str(field.value())]
        for member in form.forms:
            data.update(initial_data(member))
        return data
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        if value is True:
            data[field.html_name] = ["on"]
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        else:
            data[field.html_name] = [str(getattr(value, "pk", value))]
    for formset in getattr(form, "nested", {}).values():
        data.update(initial_data(formset))
    return data
