"""Views of the declarations app; they fetch through ``declarations_visible_to`` and stay thin."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from declarations.roles import declarations_visible_to


@login_required
def home(request):
    declarations = declarations_visible_to(request.user).annotate(
        indicator_count=Count("indicators")
    )
    return render(request, "declarations/home.html", {"declarations": declarations})
