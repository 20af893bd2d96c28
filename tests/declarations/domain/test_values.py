"""The value grammar is the server's alone: the browser is handed it as data and accepts
exactly what ``parse_value`` reads as a number."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from declarations.domain.values import parse_value, tidy, value_grammar

WIZARD_JS = Path(__file__).resolve().parents[3] / "static" / "js" / "wizard.js"

VALUES = [
    "45",
    "≥45 场次",
    "＞45个",
    "＜3起",
    "＝1届",
    "＞＝45",
    ">=20家",
    "<= 100 %",
    "４５ 人",
    "3.75万元",
    "3.",
    ".5",
    "1-2次",
    "五百",
    "提升",
    "45人\u3000次",
    "\u300045\u3000",
    "45\u00a0人",
    "45\ufeff",
    "45\x1c",
    "45\n",
    "≥ 45",
    "45 ≥",
    "45一二三四五六七八九十",
    "45一二三四五六七八九",
    "45𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉",
    "45𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉𠀊",
    "45 5",
    "٤٥",
]


def test_the_spaces_are_those_python_splits_on():
    spaces = re.compile(f"[{value_grammar()['space']}]")
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert "".join(spaces.findall(every)) == "".join(c for c in every if c.isspace())
    assert tidy(" \u3000≥ 45\t\n场次 ") == "≥ 45 场次"


def test_full_width_operators_and_digits_are_numbers():
    assert [parse_value(v).operator for v in ("＞45", "＝45", "＜45", ">=45", "<=45")] == [
        ">",
        "=",
        "<",
        "≥",
        "≤",
    ]
    assert parse_value("４５ 人").number == 45


def _javascript_check() -> str:
    """The lines of wizard.js that read the grammar and judge a value, as they are."""
    source = WIZARD_JS.read_text(encoding="utf-8")
    start = source.index("  const grammarElement")
    end = source.index("\n  }\n", source.index("function isNumberOrEmpty")) + len("\n  }\n")
    return source[start:end]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the browser code")
def test_the_browser_accepts_exactly_what_the_server_accepts():
    assert "NUMBER" not in WIZARD_JS.read_text(encoding="utf-8")  # no grammar of its own
    script = (
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
        "const document = { getElementById: () => ({ textContent: input.grammar }) };\n"
        f"{_javascript_check()}\n"
        "process.stdout.write(JSON.stringify(input.values.map(isNumberOrEmpty)));\n"
    )
    payload = json.dumps({"grammar": json.dumps(value_grammar()), "values": VALUES})
    result = subprocess.run(
        ["node", "-e", script], input=payload, capture_output=True, text=True, check=True
    )
    browser = json.loads(result.stdout)
    server = [parse_value(value).is_numeric for value in VALUES]
    assert dict(zip(VALUES, browser, strict=True)) == dict(zip(VALUES, server, strict=True))
    assert any(server) and not all(server)
