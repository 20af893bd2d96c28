"""Indexes that keep the declaration list, the review queue and the home page fast at
province scale (see Declaration.Meta), and on PostgreSQL the bigram indexes of the keyword
search (declarations/search.py).

The search's indexes are GIN indexes of each text's two-character pieces (``kexie_bigrams``):
pg_trgm needs three characters and most Chinese words are two (科普, 南沙, 满意). They are built
from the same expressions the search writes (``Bigrams`` over an indicator's name, and over
the declaration's ``SearchText``), or the planner would not use them;
tests/test_query_counts.py checks that it does. Built CONCURRENTLY, as a million indicator
rows take a while and saves must go on meanwhile; hence a migration outside a transaction.
SQLite gets the list indexes only and searches by scanning.
"""

from django.db import migrations, models

# The bigrams of a text (duplicates kept: GIN stores each key once). PL/pgSQL, because an SQL
# function over generate_series costs ten microseconds a call, this one four.
BIGRAMS_SQL = """
CREATE OR REPLACE FUNCTION kexie_bigrams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    pieces text[] := '{}';
BEGIN
    FOR i IN 1 .. char_length(t) - 1 LOOP
        pieces := pieces || substr(t, i, 2);
    END LOOP;
    RETURN pieces;
END
$$
"""
SEARCH_TEXT = (
    "UPPER((\"project_name\" || ' ' || \"project_code\" || ' ' || \"department_name\" || ' ' "
    "|| \"department_short_name\")::text)"
)
SEARCH_INDEXES = {
    "indicator_name_bigrams": (
        "indicators_performanceindicator",
        'kexie_bigrams(UPPER(("name")::text))',
    ),
    "declaration_text_bigrams": ("declarations_declaration", f"kexie_bigrams({SEARCH_TEXT})"),
}
# How often the texts the search reads contain a word: without these the planner takes a
# LIKE '%科普%' for rare and reads a third of the table through an index instead of stopping
# at the first rows (PostgreSQL 14+ keeps statistics of expressions).
SEARCH_STATISTICS = {
    "indicator_name_upper": ("indicators_performanceindicator", ['UPPER(("name")::text)']),
    "declaration_text_upper": (
        "declarations_declaration",
        [
            SEARCH_TEXT,
            'UPPER(("project_name")::text)',
            'UPPER(("project_code")::text)',
            'UPPER(("department_name")::text)',
            'UPPER(("department_short_name")::text)',
        ],
    ),
}


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BIGRAMS_SQL)
    for name, (table, expression) in SEARCH_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} USING gin ({expression})"
        )
    if schema_editor.connection.pg_version >= 140000:
        for name, (table, expressions) in SEARCH_STATISTICS.items():
            columns = ", ".join(f"({expression})" for expression in expressions)
            schema_editor.execute(
                f"CREATE STATISTICS IF NOT EXISTS {name} ON {columns} FROM {table}"
            )
    for table in {table for table, _ in SEARCH_INDEXES.values()}:
        schema_editor.execute(f"ANALYZE {table}")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCH_STATISTICS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")
    for name in SEARCH_INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS kexie_bigrams(text)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("declarations", "0011_dashboard_indexes"),
        ("indicators", "0005_indicator_history"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="declaration",
            index=models.Index(
                fields=["-fiscal_year", "department_name", "id"],
                include=(
                    "department",
                    "status",
                    "kind",
                    "project_name",
                    "project_code",
                    "department_short_name",
                ),
                name="declaration_list_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="declaration",
            index=models.Index(
                fields=["fiscal_year", "department_name", "id"],
                include=("department", "status", "kind"),
                name="declaration_list_oldest_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="declaration",
            index=models.Index(
                fields=["department_name", "-fiscal_year", "id"],
                include=("department", "status", "kind"),
                name="declaration_list_by_name_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="declaration",
            index=models.Index(
                fields=["-updated_at", "id"],
                include=("department", "status", "kind"),
                name="declaration_recent_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="declaration",
            index=models.Index(
                fields=["status", "submitted_at", "id"],
                include=("department",),
                name="declaration_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="declaration",
            index=models.Index(fields=["department", "status"], name="declaration_status_idx"),
        ),
        migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False),
    ]
