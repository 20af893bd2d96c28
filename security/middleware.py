"""An audit record for every refused request (HTTP 403), and the idle time-out's renewal."""

import time

from django.core.exceptions import PermissionDenied

from security.models import SecurityEvent
from security.services import record_event


class RefusalAuditMiddleware:
    """Records each 403 response with who asked for what: ``PermissionDenied`` raised by any
    view or decorator (turned into the 403 page by Django's handler403), a view that answers
    403 itself, and a refused CSRF check. It sits below the authentication middleware, so the
    user is known, and above the views, so every 403 passes through it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            record_event(
                SecurityEvent.Kind.DENIED,
                request=request,
                user=user,
                detail=getattr(request, "security_denied_reason", "") or "无权访问",
            )
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            request.security_denied_reason = str(exception)
        return None


class SessionRenewalMiddleware:
    """Renew a signed-in user's session as they use the site, writing it at most once per
    ``RENEW_EVERY`` seconds.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` would write the session row on every request, a
    database write per page view and per download. Renewed at most once a minute, a session
    still ends 29 to 30 minutes after the last request (``SESSION_COOKIE_AGE``), and the
    browser's cookie is renewed with it. Must stand right after ``SessionMiddleware``, so that
    the session it marks as changed is saved by it. A log-in, which writes the session anyway,
    counts as a renewal (security.receivers).
    """

    RENEW_EVERY = 60
    SESSION_KEY = "_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(self.SESSION_KEY, 0) >= self.RENEW_EVERY:
                # Saved, with a new expiry, by SessionMiddleware.
                request.session[self.SESSION_KEY] = now
        return response
