"""Request input cleaned once, before any form sees it.

Control characters cannot mean anything in a form field of ours: NUL cannot even be stored in
PostgreSQL text (it would end in a 500), and the other C0 characters break Excel. A vertical
tab or form feed is Word's soft line or page break in pasted text, so it becomes a line break;
tab, line feed and carriage return stay; every other C0 character and DEL are removed.
"""

import re

from django.http import QueryDict

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
