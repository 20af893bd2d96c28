"""``manage.py demo_performance`` fills an example monitoring round and self-evaluation on the
Chongqing samples through the services, once."""

from io import StringIO

import pytest
from django.core.management import call_command

from declarations.domain.choices import Status
from declarations.models import Declaration, MonitoringReport, MonitoringRound, SelfEvaluation
from declarations.scorecards import evaluation_card, monitoring_card

pytestmark = pytest.mark.django_db


def test_demo_round_and_evaluations_are_made_once():
    out = StringIO()
    call_command("demo_performance", stdout=out)
    assert "已生成示例" in out.getvalue()
    assert set(
        Declaration.objects.filter(sample_key__startswith="000-").values_list("status", flat=True)
    ) >= {Status.APPROVED}
    (round_,) = MonitoringRound.objects.all()
    assert round_.reports.count() == 3
    submitted = MonitoringReport.objects.get(status=Status.SUBMITTED)
    card = monitoring_card(submitted)
    # Half the budget spent by the end of July: 50 % ÷ 7/12 = 85.7 %, green.
    assert card.budget.light == "green" and "= 85.7%" in card.budget.explanation
    filled = [e for e in SelfEvaluation.objects.all() if e.executed is not None]
    assert len(filled) == 1 and evaluation_card(filled[0]).total is not None

    again = StringIO()
    call_command("demo_performance", stdout=again)
    assert "未做改动" in again.getvalue()
    assert MonitoringRound.objects.count() == 1


def test_the_admin_shows_rounds_reports_and_evaluations_read_only(client):
    from django.urls import reverse

    from declarations.models import User

    call_command("demo_performance", stdout=StringIO())
    client.force_login(User.objects.get(username="admin"))
    report = MonitoringReport.objects.first()
    for model, obj in (
        ("monitoringround", report.round),
        ("monitoringreport", report),
        ("selfevaluation", SelfEvaluation.objects.first()),
    ):
        assert client.get(reverse(f"admin:declarations_{model}_changelist")).status_code == 200
        change = reverse(f"admin:declarations_{model}_change", args=[obj.pk])
        assert client.get(change).status_code == 200
        assert client.post(change, {}).status_code == 403
        assert (
            client.post(
                reverse(f"admin:declarations_{model}_delete", args=[obj.pk]), {"post": "yes"}
            ).status_code
            == 403
        )
