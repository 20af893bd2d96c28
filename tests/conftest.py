"""Shared test set-up: the sample tables are loaded once per test session.

Each test runs in a transaction that is rolled back, so tests see the samples as loaded and
never each other's changes.
"""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_samples", "--demo-accounts", verbosity=0)


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    """Each test's finished exports in its own directory, removed with the test's files."""
    settings.JOB_FILES_DIR = tmp_path / "jobs"
    return settings.JOB_FILES_DIR
