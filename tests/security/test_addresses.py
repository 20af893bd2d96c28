"""The client's address: REMOTE_ADDR, or behind PROXY_COUNT proxies, X-Forwarded-For."""

from django.test import RequestFactory

from security.addresses import client_address


def request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_address(request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")) == (
        "10.0.0.1"
    )


def test_behind_one_proxy_the_last_forwarded_address_is_the_client(settings):
    settings.PROXY_COUNT = 1
    # The client forged the first entry; our proxy appended the address it saw.
    forwarded = request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_address(forwarded) == "203.0.113.7"
    assert client_address(request(REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


def test_behind_two_proxies(settings):
    settings.PROXY_COUNT = 2
    forwarded = request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    assert client_address(forwarded) == "203.0.113.7"
