"""The lockout check in front of Django's password check (django-axes)."""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, with two differences.

    - Without a request there is no address to count and nobody at a log-in page: a password
      checked by code (the test client's ``login``, a shell) is neither counted nor refused,
      where axes would raise an error.
    - A log-in refused because of a lock marks the request, so that the audit record of that
      attempt says so whichever signal receiver runs first.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            return super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            request.security_refused_while_locked = True
            raise
