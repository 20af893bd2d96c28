"""Security controls of the site (等保 level 3), apart from the declarations domain.

Log-in lockout (django-axes, configured in settings), the password rule, the security audit
records and their retention, and backup and restore of the database. The app knows nothing of
declarations and the declarations know nothing of it (import-linter contracts in pyproject).
"""
