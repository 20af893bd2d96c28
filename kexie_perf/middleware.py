"""The site's own middleware: request input cleaned once, and a page for a 405.

Request input is cleaned once, before any form sees it.

Control characters cannot mean anything in a form field of ours: NUL cannot even be stored in
PostgreSQL text (it would end in a 500), and the other C0 characters break Excel. A vertical
tab or form feed is Word's soft line or page break in pasted text, so it becomes a line break;
tab, line feed and carriage return stay; every other C0 character and DEL are removed.
"""

import re

from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

_LINE_BREAKS = re.compile("[\x0b\x0c]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value))


def _cleaned(data: QueryDict) -> QueryDict:
    if not any(_CONTROLS.search(v) or _LINE_BREAKS.search(v) for v in _values(data)):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(clean_text(key), [clean_text(v) for v in values])
    cleaned._mutable = False
    return cleaned


def _values(data: QueryDict):
    for key, values in data.lists():
        yield key
        yield from values


class ControlCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _cleaned(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A 405 as a page in the site's frame (templates/405.html).

    ``require_POST`` and the class-based views answer a GET on a form's address with an empty
    ``HttpResponseNotAllowed``: a blank page for someone who typed the address or came back to
    it from the browser's history. The status and the Allow header stay; only the empty body
    is replaced.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            page = render(request, "405.html", {"back_url": _back_url(request)}, status=405)
            page["Allow"] = response["Allow"]
            return page
        return response


def _back_url(request) -> str:
    """The page the visitor came from, if it is on this site."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""
