"""An audit record for every refused request (HTTP 403)."""

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
