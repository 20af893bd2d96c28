"""The password rule: 10+ characters from 3 of 4 kinds, not common, not all digits, not like
the user's name; every message in Chinese."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from declarations.models import User
from security.passwords import character_classes

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")


def refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        assert exc.messages and all(CJK.search(m) for m in exc.messages), exc.messages
        return exc.messages
    return []


@pytest.mark.parametrize(
    "password, expected",
    [
        ("kexiekexie", "至少 3 类"),
        ("12345678901", "密码只包含数字。"),
        ("Ab1!xyz", "密码太短：至少需要 10 个字符"),
        ("abcdefghijkl", "至少 3 类"),
        ("ABCDEFGHIJKL", "至少 3 类"),
        ("abcdefABCDEF", "至少 3 类"),  # two kinds are not enough
        ("password123", "这个密码太常见了。"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, expected):
    messages = refusals(password)
    assert any(expected in m for m in messages), messages


@pytest.mark.parametrize(
    "password", ["Budget-target-2025", "kexie-demo-2025", "ZhiBiao#2025x", "绩效目标Abc2025"]
)
def test_ten_characters_from_three_kinds_are_accepted(password):
    assert refusals(password) == []


def test_a_password_like_the_user_name_is_refused():
    user = User(username="zhangsanfeng", email="zhangsanfeng@example.com")
    messages = refusals("Zhangsanfeng-1", user)
    assert any("太相似" in m for m in messages), messages


def test_character_kinds():
    assert character_classes("aB3-") == {"小写字母", "大写字母", "数字", "符号"}
    assert character_classes("中文 abc") == {"符号", "小写字母"}


def test_the_change_password_form_refuses_a_weak_password(db):
    user = User.objects.get(username="shapingba")
    form = SetPasswordForm(user, {"new_password1": "kexiekexie", "new_password2": "kexiekexie"})
    assert not form.is_valid()
    assert any("至少 3 类" in m for m in form.errors["new_password2"])
    help_texts = " ".join(password_validators_help_texts())
    assert "至少 10 个字符" in help_texts


def test_the_demo_passwords_in_the_readme_pass_the_rule():
    """Typed into a change-password form, the documented demo passwords would be accepted."""
    accounts = json.loads((ROOT / "fixtures" / "demo_accounts.json").read_text("utf-8"))
    readme = (ROOT / "README.md").read_text("utf-8")
    # The table of the "Demo log-ins" section (other sections have tables of settings).
    section = readme.split("### Demo log-ins", 1)[1].split("\n#", 1)[0]
    table = dict(re.findall(r"^\| `(\w+)` \| `([^`]+)` \|", section, flags=re.MULTILINE))
    assert table == {a["username"]: a["password"] for a in accounts["accounts"]}
    for account in accounts["accounts"]:
        user = User(
            username=account["username"],
            email=account.get("email", ""),
            last_name=account.get("last_name", ""),
        )
        assert refusals(account["password"], user) == [], account["username"]
