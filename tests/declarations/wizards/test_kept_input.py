"""Nothing typed is lost: a refused 下一步 keeps the page's input in the draft, and the page
shows it again with its messages when the draft is resumed."""

import pytest

from declarations.models import Declaration, DeclarationDraft, User
from tests.declarations.wizards.helpers import Wizard, cq_indicators, errors
from tests.declarations.wizards.test_steps import fill_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def wizard(client):
    return Wizard.start(client, User.objects.get(username="shapingba"))


def test_refused_budget_step_is_kept_and_shown_again_on_resume(client, wizard):
    fill_until(wizard, "budget")
    refused = wizard.post("budget", {"total": "12.5", "own_level": "10"})
    assert refused.status_code == 200
    message = "区级支出为 10.00 万元，与预算 12.50 万元 不一致。"
    assert message in errors(refused)
    # The clerk leaves without 暂存 and comes back another day.
    client.get("/")
    draft = DeclarationDraft.objects.get(pk=wizard.draft.pk)
    assert draft.data["step_data"]["budget"]["budget-own_level"] == ["10"]
    resumed = wizard.get("budget")
    page = resumed.content.decode()
    assert 'value="12.5"' in page and 'value="10"' in page
    assert message in errors(resumed)


def test_refused_indicator_rows_are_kept_and_shown_again_on_resume(wizard):
    fill_until(wizard, "indicators")
    rows = cq_indicators()
    rows["indicators-rows-1-value"] = "五百"
    refused = wizard.post("indicators", rows)
    assert refused.status_code == 200
    assert any("“五百”不是数字" in e for e in errors(refused))
    resumed = wizard.get("indicators").content.decode()
    for index in range(3):
        name = rows[f"indicators-rows-{index}-name"]
        assert f'value="{name}"' in resumed
    assert 'value="五百"' in resumed and "“五百”不是数字" in resumed
    assert not Declaration.objects.filter(created_by__username="shapingba").exists()
