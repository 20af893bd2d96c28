"""Driving the wizard with Django's test client, step by step."""

import re

from django.apps import apps
from django.urls import reverse

from declarations.models import DeclarationDraft, User


def row_counts() -> dict[str, int]:
    """How many rows each model of our apps holds, to prove nothing was written."""
    return {
        model._meta.label: model.objects.count()
        for app in ("declarations", "indicators")
        for model in apps.get_app_config(app).get_models()
        if model is not DeclarationDraft
    }


def formset(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


class Wizard:
    def __init__(self, client, draft: DeclarationDraft):
        self.client = client
        self.draft = draft

    @classmethod
    def start(cls, client, user: User, kind: str = "project") -> "Wizard":
        client.force_login(user)
        response = client.post(reverse("wizard_start", args=[kind]))
        assert response.status_code == 302, response
        draft_id = int(re.search(r"/drafts/(\d+)/", response.url).group(1))
        return cls(client, DeclarationDraft.objects.get(pk=draft_id))

    def url(self, step: str) -> str:
        return reverse("wizard_step", kwargs={"draft_id": self.draft.pk, "step": step})

    def confirm(self, step: str, data: dict, response):
        """Post ``data`` again with the warnings of ``response`` confirmed."""
        return self.post(step, {**data, **confirmation(response)})

    def post(self, step: str, data: dict, **extra):
        payload = {f"draft_{self.draft.pk}-current_step": step}
        if step == "budget" and "budget-plan-TOTAL_FORMS" not in data:
            # Project tables ask for a spending plan; an empty one is allowed.
            payload.update(formset("budget-plan", []))
        payload.update({f"{step}-{k}" if not k.startswith(step) else k: v for k, v in data.items()})
        payload.update(extra)
        return self.client.post(self.url(step), payload)

    def get(self, step: str):
        return self.client.get(self.url(step))


def warnings(response) -> list[str]:
    """The plausibility warnings a step shows at its fields (标黄), in page order."""
    page = response.content.decode()
    return [w.strip() for w in re.findall(r"data-warning>⚠ ([^<]+)<", page)]


def confirmation(response) -> dict[str, str]:
    """What ticking “我已核对，确认无误” posts on the page of ``response`` (empty: no box)."""
    page = response.content.decode()
    box = re.search(
        r'<input class="form-check-input" type="checkbox" id="[^"]*" '
        r'name="([^"]+)" value="([^"]+)"',
        page,
    )
    return {box.group(1): box.group(2)} if box else {}


def errors(response) -> list[str]:
    page = response.content.decode()
    found = re.findall(r'invalid-feedback d-block">([^<]+)<', page)
    found += re.findall(r'<p id="error_\d+_[^"]+"><strong>([^<]+)</strong>', page)
    found += re.findall(r'class="alert alert-danger[^"]*"[^>]*>([^<]+)<', page)
    return [e.strip() for e in found]


CQ_BASIC = {"project_name": "青少年科技创新大赛", "fiscal_year": "2026", "layout": "cq_special"}
CQ_BUDGET = {"total": "12.5", "own_level": "12.5"}
CQ_NARRATIVES = {
    "overview": "举办区青少年科技创新大赛。",
    "legal_basis": "区科协年度工作要点。",
    "annual_target": "举办大赛一届，参赛学生不少于 300 人。",
}


def cq_indicators(weights=("40", "30", "20")) -> dict:
    rows = [
        {
            "name": "举办大赛场次",
            "kind": "quantitative",
            "operator": "=",
            "value": "1",
            "unit": "届",
            "weight": weights[0],
            "ORDER": "1",
        },
        {
            "name": "参赛学生人数",
            "kind": "quantitative",
            "operator": "≥",
            "value": "300",
            "unit": "人",
            "weight": weights[1],
            "ORDER": "2",
        },
        {
            "name": "服务对象满意度",
            "kind": "qualitative",
            "value": "及时",
            "weight": weights[2],
            "ORDER": "3",
        },
    ]
    return formset("indicators-rows", rows, initial=1)
