"""What every model of a declaration shares."""

# Timestamps change with every save and would make every history record look like a change.
HISTORY_EXCLUDED = ["updated_at", "created_at"]
