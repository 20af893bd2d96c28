"""Site-wide pages that belong to no app: the help page (使用说明) and the favicon's old address.

The help page is public: it says how the site works and shows no data, so a clerk can read it
before their account exists. What it says about the workflow and the weights is read from the
same data the site runs on (the moves, the layouts' rules), so it cannot drift from the code.
"""

from django.shortcuts import redirect, render
from django.templatetags.static import static

from declarations.domain.choices import Layout, Status
from declarations.domain.money import plain_decimal
from declarations.domain.profiles import PROFILES
from declarations.domain.workflow import DECLARANT, MOVES


def _moves() -> list[dict]:
    return [
        {
            "label": move.label,
            "sources": "、".join(Status(s).label for s in move.sources),
            "target": Status(move.target).label,
            "who": "申报人" if move.role == DECLARANT else "财政审核人员",
            "comment_required": move.comment_required,
        }
        for move in MOVES.values()
    ]


def _weights() -> list[dict]:
    return [
        {
            "layout": Layout(profile.layout).label,
            "required": profile.weights_required,
            "total": plain_decimal(profile.weight_total) if profile.weight_total else "",
            "reserved": plain_decimal(100 - profile.weight_total) if profile.weight_total else "",
        }
        for profile in PROFILES.values()
    ]


def help_page(request):
    return render(request, "help.html", {"moves": _moves(), "weights": _weights()})


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links: send them to the SVG icon."""
    return redirect(static("favicon.svg"), permanent=True)
