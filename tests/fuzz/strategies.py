"""Generated form input: values that look right, values of the wrong type, and the edges.

Every value is a string (or a list of strings, for a key sent more than once), as a browser
sends it. ``value()`` mixes them all; ``mutated()`` turns a valid payload into a broken one by
replacing, deleting, repeating and adding keys and by tampering with formset management forms.
"""

from decimal import Decimal

from hypothesis import strategies as st

from declarations.domain.choices import Grade, IndicatorKind, Kind, Layout, Operator, Status

# C0 controls, DEL, and the Unicode characters that look like nothing or like a line break.
CONTROLS = "".join(chr(c) for c in range(0x20)) + "\x7f\x85\u2028\u2029\u200b\ufeff"
FULL_WIDTH = "０１２３４５６７８９．－＋％，　ａｂｃＡＢＣ"

CHOICES = [
    *Layout.values,
    *Kind.values,
    *Status.values,
    *Grade.values,
    *Operator.values,
    *IndicatorKind.values,
    *(str(m) for m in range(1, 13)),
    "on",
    "xlsx",
    "pdf",
    "submitted",
    "-submitted",
    "-fiscal_year",
    "fiscal_year",
    "-updated_at",
    "department",
    "comment",
    "return",
    "approve",
    "submit",
    "withdraw",
]

VALID_LOOKING = [
    "",
    "0",
    "1",
    "2",
    "12.5",
    "90",
    "100",
    "2025",
    "2026",
    "2000",
    "2100",
    "0.01",
    "0.000001",
    "99.99",
    "青少年科技创新大赛",
    "举办大赛场次",
    "≥300人",
    "≤5%",
    "=1届",
    "及时",
    "人",
    "场次",
    "100%",
    "科普",
]

EDGES = [
    "\x00",
    "\x0b",
    "a\x00b",
    "2026\x00",
    "\x001",
    " ",
    "\t",
    "\r\n",
    "２０２６",
    "１２．５",
    "－５",
    "＋５",
    "−5",
    "٣",
    "३",
    "𝟗",
    "Ⅻ",
    "〇",
    "二〇二六",
    "百分之五十",
    "²",
    "½",
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e309",
    "1e-400",
    "1E+999999",
    "9e99999999999",
    "0x10",
    "1_000",
    "1,000",
    " 12 ",
    "+5",
    "-0",
    "-1",
    "-0.01",
    "00000000000000000000001",
    "0." + "0" * 60 + "1",
    "9" * 200,
    "1" + "0" * 30,
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "True",
    "None",
    "null",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "'; DROP TABLE x; --",
    "%",
    "%00",
    "\\",
    "\ud7ff",
    "\U0010ffff",
    "🎉",
    "e\u0301",
]

UNKNOWN_IDS = [
    "0",
    "-1",
    "999999",
    "2147483648",
    "9223372036854775808",
    "1" + "0" * 30,
    "1.0",
    "1e3",
    " 1",
    "１",
    "abc",
    "",
    "1\x00",
]

COUNTS = [
    "0",
    "1",
    "2",
    "3",
    "5",
    "50",
    "200",
    "201",
    "1000",
    "1001",
    "100000",
    "-1",
    "abc",
    "",
    "1e3",
    "1.5",
    "999999999999999999999",
    "１",
    " 3",
    "3\x00",
]

LONG_LENGTHS = [21, 51, 101, 201, 301, 2001, 10_000, 100_000]


def pick(*strategies: st.SearchStrategy) -> st.SearchStrategy:
    """One of ``strategies``, each as likely as the others. (``st.one_of`` flattens nested
    one_ofs and weighs every innermost branch alike, so a group of many branches would crowd
    out a group of one.)"""
    return st.sampled_from(strategies).flatmap(lambda strategy: strategy)


def usually(usual: st.SearchStrategy, unusual: st.SearchStrategy, odds: int = 3):
    """``usual`` ``odds`` times in ``odds + 1``, else ``unusual``."""
    return st.integers(0, odds).flatmap(lambda i: usual if i else unusual)


def long_text() -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(LONG_LENGTHS), st.sampled_from(["字", "a", "１", "\x0b"])).map(
        lambda pair: pair[1] * pair[0]
    )


def numbers() -> st.SearchStrategy[str]:
    return pick(
        st.integers(min_value=-10_000, max_value=10_000).map(str),
        st.integers(min_value=10**9, max_value=10**60).map(str),
        st.integers(min_value=-(10**60), max_value=-(10**9)).map(str),
        st.decimals(
            min_value=Decimal("-1e6"), max_value=Decimal("1e9"), places=2, allow_nan=False
        ).map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats().map(str),
        st.floats().map(repr),
    )


def digit_likes() -> st.SearchStrategy[str]:
    """Characters that str.isdigit() or int() take for digits, or that look like them:
    "٣" and "１" are numbers to int(), "²" is a digit to isdigit() but not to int()."""
    return st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=4)


def texts() -> st.SearchStrategy[str]:
    return pick(
        st.text(max_size=30),
        st.text(alphabet=CONTROLS, min_size=1, max_size=8),
        st.text(alphabet=FULL_WIDTH, min_size=1, max_size=12),
        st.tuples(st.sampled_from(VALID_LOOKING), st.text(alphabet=CONTROLS, max_size=3)).map(
            "".join
        ),
        long_text(),
    )


def value(ids: list[str] = ()) -> st.SearchStrategy[str]:
    """One posted value: right-looking, of another type, or an edge."""
    options = [
        st.sampled_from(VALID_LOOKING),
        st.sampled_from(CHOICES),
        st.sampled_from(EDGES),
        st.sampled_from(UNKNOWN_IDS),
        numbers(),
        digit_likes(),
        texts(),
    ]
    if ids:
        options.append(st.sampled_from(list(ids)))
    return pick(*options)


def posted(ids: list[str] = ()) -> st.SearchStrategy[str | list[str]]:
    """A value, or (now and then) a key sent two or three times."""
    return usually(value(ids), st.lists(value(ids), min_size=0, max_size=3))


def key_junk() -> st.SearchStrategy[str]:
    return pick(st.text(max_size=12), st.sampled_from(EDGES), st.sampled_from(CHOICES))


MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def mutated(
    draw, baseline: dict, *, prefix: str, formsets: list[str], fields: list[str], ids=()
) -> dict:
    """``baseline`` (key → list of values) after a few random changes; ``draw`` is
    ``st.data().draw``. ``prefix`` is the step's form prefix, ``formsets`` the prefixes of its
    nested formsets and ``fields`` the names their rows and the form use."""
    data = {key: list(values) for key, values in baseline.items()}
    if draw(st.integers(0, 9)) == 0:
        data = {}  # every key missing
    for _ in range(draw(st.integers(0, 6))):
        op = draw(
            st.sampled_from(
                ["replace", "replace", "replace", "delete", "add", "row", "management", "empty"]
            )
        )
        keys = sorted(data)
        if op in ("replace", "delete") and keys:
            key = draw(st.sampled_from(keys))
            if op == "delete":
                del data[key]
            else:
                data[key] = draw(posted(ids))
        elif op == "add":
            name = draw(usually(st.sampled_from(fields or ["x"]), key_junk()))
            data[draw(st.sampled_from([f"{prefix}-{name}", name]))] = draw(posted(ids))
        elif op == "row" and formsets:
            formset = draw(st.sampled_from(formsets))
            index = draw(usually(st.integers(0, 3), st.sampled_from([-1, 199, 200, 1000, 10**6])))
            field = draw(usually(st.sampled_from(fields or ["x"]), key_junk()))
            data[f"{formset}-{index}-{field}"] = draw(posted(ids))
        elif op == "management" and formsets:
            formset = draw(st.sampled_from(formsets))
            name = draw(st.sampled_from(MANAGEMENT))
            data[f"{formset}-{name}"] = draw(usually(st.sampled_from(COUNTS), posted()))
        elif op == "empty" and keys:
            data[draw(st.sampled_from(keys))] = ""
    return data
