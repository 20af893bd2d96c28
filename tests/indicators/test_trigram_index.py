"""PostgreSQL only: the trigram index of the indicator history exists on the very expression
Django's ``icontains`` / ``istartswith`` search (``UPPER("name"::text)``), and the library's
queries use it (and the uses index for the popular window). Skipped on SQLite, which has
neither and scans."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.library import search_history
from indicators.models import IndicatorHistory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's"),
]

TRIGRAM_INDEX = "indicator_history_name_trgm"
WORDS = ("科普讲座场次", "服务对象满意度", "按期完成率", "学术年会参会人次", "科技馆流动展览")
# Three rows among five thousand: a text the index narrows down (a common one is found as
# fast by reading any index in order until fifty match, and the planner rightly does so).
RARE = ("院士专家报告会（第一场）", "院士专家报告会（第二场）", "院士专家报告会（第三场）")


@pytest.fixture
def rows():
    now = timezone.now()
    IndicatorHistory.objects.bulk_create(
        IndicatorHistory(
            name=f"第{n}批{WORDS[n % len(WORDS)]}",
            kind="quantitative",
            unit="场次",
            operator="≥",
            uses=1 + n % 7,
            first_year=2024,
            last_year=2025,
            target_count=1,
            target_min=Decimal(n),
            target_median=Decimal(n),
            target_max=Decimal(n),
            refreshed_at=now,
        )
        for n in range(5000)
    )
    IndicatorHistory.objects.bulk_create(
        IndicatorHistory(
            name=name,
            kind="quantitative",
            unit="场次",
            operator="≥",
            uses=1,
            first_year=2024,
            last_year=2025,
            refreshed_at=now,
        )
        for name in RARE
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE indicators_indicatorhistory")


def test_the_trigram_index_is_on_the_searched_expression():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [TRIGRAM_INDEX])
        (definition,) = cursor.fetchone()
    assert "USING gin" in definition and "gin_trgm_ops" in definition
    assert "upper((name)::text)" in definition


def plans(query: str) -> list[str]:
    """EXPLAIN of each query ``search_history`` sends, with sequential scans priced out, so
    that an index the query can use is used, and one it cannot shows as a scan."""
    with CaptureQueriesContext(connection) as captured:
        found = search_history(query)
    assert found
    explained = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in (q["sql"] for q in captured.captured_queries):
            cursor.execute("EXPLAIN " + sql)
            explained.append("\n".join(row[0] for row in cursor.fetchall()))
    return explained


# Three characters or more: contains; fewer: starts with (pg_trgm pads a name's start).
@pytest.mark.parametrize("query", ["专家报告", "报告会", "院士"])
def test_the_library_queries_use_the_trigram_and_uses_indexes(rows, query):
    bound, popular, tail, shown = plans(query)
    assert "indicator_history_uses_idx" in bound and "indicator_history_uses_idx" in popular
    assert TRIGRAM_INDEX in tail and "Seq Scan" not in tail, tail
    assert "indicators_indicatorhistory_pkey" in shown
