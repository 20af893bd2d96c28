"""How long a text may be, stated once for the forms and the models.

The longest texts of the five sample tables are about 1,000 characters (an overall target);
the limits leave ten times that, and keep one declaration printable in bounded time.
"""

# Narratives, targets, functions, an adjustment's reason.
LONG_TEXT = 10_000
# Texts of one indicator row or one key task: description, basis, scoring rule, values.
ROW_TEXT = 2_000
