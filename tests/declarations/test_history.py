"""The change history read back for people: who changed which field from what to what."""

from decimal import Decimal

import pytest
from django.urls import reverse

from declarations.history import timeline
from declarations.models import Declaration, DeclarationDraft, User
from tests.declarations.wizards.helpers import Wizard

pytestmark = pytest.mark.django_db


def test_a_wizard_edit_is_recorded_field_by_field_with_its_user(client):
    staff = User.objects.get(username="shapingba")
    client.force_login(staff)
    declaration = Declaration.objects.get(sample_key="000-2")
    client.post(reverse("declaration_edit", args=[declaration.pk]))
    wizard = Wizard(client, DeclarationDraft.objects.get(declaration=declaration))
    wizard.post("budget", {"total": "12", "own_level": "12"})
    data = {
        k: v[0] if len(v) == 1 else v
        for k, v in wizard.draft.data["step_data"]["indicators"].items()
    }
    data["indicators-rows-3-value"] = "90"
    assert wizard.post("indicators", data).status_code == 302
    wizard.post("review", {})

    entries = timeline(declaration)
    budget = next(e for e in entries if e.what == "修改预算资金")
    assert budget.who == str(staff)
    # Amounts in the unit the clerk typed them in (the Chongqing table's 万元).
    assert ("预算总额", "11.00 万元", "12.00 万元") in budget.changes
    indicator = next(e for e in entries if e.what == "修改指标 4“开展智库调研课题”")
    # The value as the table prints it, not the stored parts (80.0000).
    assert ("年度指标值", "≥80个", "≥90个") in indicator.changes
    # Untouched indicators were not rewritten, so they have no edit entries.
    assert not [e for e in entries if e.what.startswith("修改指标 1")]
    assert Decimal("90") == declaration.indicators.get(order=4).target_value
    page = client.get(reverse("declaration_detail", args=[declaration.pk])).content.decode()
    assert "修改预算资金" in page and "11.00 万元 → 12.00 万元" in page
