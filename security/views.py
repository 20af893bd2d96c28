"""The page shown to a locked-out log-in: the log-in page itself, with the reason."""

from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

from security.policy import lockout_policy


def lockout(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the log-in page with a Chinese message, answered with 429
    (too many requests) instead of django-axes' bare text."""
    context = {
        **lockout_policy(),
        "form": AuthenticationForm(request, initial={"username": request.POST.get("username", "")}),
        "locked_out": True,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)
