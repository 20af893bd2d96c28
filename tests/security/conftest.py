"""Fixtures of the security tests: a user whose password is quick to check."""

import pytest

from tests.factories import UserFactory

PASSWORD = "Kexie-test-2025"


@pytest.fixture
def fast_hasher(settings):
    # Each log-in attempt hashes a password; PBKDF2 would make a lockout test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def member(fast_hasher):
    return UserFactory(username="zhangwei", password=PASSWORD)
