"""The keyword search of declarations, fast at province scale (50,000 declarations, a million
indicators) and the same everywhere else.

A word matches a declaration whose project name or code, department name (as declared, or the
department's current one) or one of whose indicators' names contains it, case-insensitively
(Django's ``icontains``). Read row by row that costs a probe of twenty indicators per
declaration: fine while matches are many (the first page is found within a few hundred rows),
ruinous when they are few (every row is read to find none). So each word is first looked up
in the indexes (``word_condition``):

- few matches (fewer than ``SAMPLE`` rows): their declarations by primary key, plus those of
  the matching departments, which PostgreSQL reads through the primary-key and department
  indexes at once;
- many: the row-by-row condition, which the list reads in its own order and stops early.

On PostgreSQL the indexes are GIN indexes of character bigrams (``kexie_bigrams``, migration
0011): Chinese words are mostly two characters long, too short for pg_trgm's trigrams. The
bigrams only narrow the rows; the LIKE beside them decides. Other databases get the plain
``icontains`` and the same two paths.
"""

from django.db.models import Exists, F, Func, OuterRef, Q, TextField
from django.db.models.lookups import IContains

from declarations.models import Declaration, Department
from indicators.models import PerformanceIndicator

BIGRAM_FUNCTION = "kexie_bigrams"
# The declaration's own fields a word is looked for in, joined by a space: a word never holds
# one (the query is split at whitespace), so no match straddles two fields.
TEXT_FIELDS = ("project_name", "project_code", "department_name", "department_short_name")
# Past this many matching rows a word is common: the row-by-row condition finds a page sooner
# than a list of every match would.
SAMPLE = 2000


class Bigrams(Func):
    """The set of two-character pieces of an expression's upper-cased text, as the GIN
    indexes of migration 0011 hold them (they are built from this very expression)."""

    function = BIGRAM_FUNCTION
    template = "%(function)s(UPPER((%(expressions)s)::text))"
    output_field = TextField()


class SearchText(Func):
    """The declaration's own names (``TEXT_FIELDS``) as one text."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()

    def __init__(self):
        super().__init__(*(F(name) for name in TEXT_FIELDS))


class ContainsText(IContains):
    """``icontains`` that PostgreSQL can answer from a bigram index of ``lhs``: the rows
    whose bigrams include all of the word's, then the LIKE. A one-character word has no
    bigram and is read row by row."""

    def as_postgresql(self, compiler, connection):
        sql, params = self.as_sql(compiler, connection)
        if len(self.rhs) < 2:
            return sql, params
        bigrams, bigram_params = compiler.compile(Bigrams(self.lhs))
        return (
            f"({sql} AND {bigrams} @> {BIGRAM_FUNCTION}(UPPER(%s)))",
            (*params, *bigram_params, self.rhs),
        )


def row_by_row(word: str) -> Q:
    """The definition of a match, read declaration by declaration."""
    indicator = PerformanceIndicator.objects.filter(
        declaration=OuterRef("pk"),
        # Says nothing new; it only stops PostgreSQL from reading every indicator that
        # contains the word into a hash first (it can hash only equalities to the outer row),
        # which for a common word is a hundred thousand rows where a page needs a few.
        declaration_id__gte=OuterRef("pk"),
        name__icontains=word,
    )
    return (
        Q(project_name__icontains=word)
        | Q(project_code__icontains=word)
        | Q(department_name__icontains=word)
        | Q(department__name__icontains=word)
        | Q(department_short_name__icontains=word)
        | Exists(indicator)
    )


def word_condition(word: str) -> Q:
    """The declarations ``word`` matches, in the form that is cheapest for how often it
    occurs; three queries whatever the answer. The keys read here span every department but
    only narrow the caller's queryset, which keeps its own scope."""
    # Unordered: a LIMIT without ORDER BY stops at the first rows the index gives.
    departments = list(
        Department.objects.filter(name__icontains=word).order_by().values_list("pk", flat=True)
    )
    by_indicator = list(
        PerformanceIndicator.objects.filter(ContainsText(F("name"), word))
        .order_by()
        .values_list("declaration_id", flat=True)[:SAMPLE]
    )
    by_text = list(
        Declaration.objects.filter(ContainsText(SearchText(), word))
        .order_by()
        .values_list("pk", flat=True)[:SAMPLE]
    )
    if len(by_indicator) == SAMPLE or len(by_text) == SAMPLE:
        return row_by_row(word)
    return Q(pk__in=sorted({*by_indicator, *by_text})) | Q(department_id__in=departments)
