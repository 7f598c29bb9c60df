"""Where a change comes from: the client address and device of the current request, or
the command line. Set once per request by ClientMiddleware (or by the ``yangguang``
CLI) and read by ``record_append``, so services need not pass it around."""

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class Client:
    ip: str = ""
    device: str = ""


_current: contextvars.ContextVar[Client | None] = contextvars.ContextVar("client", default=None)


def current_client() -> Client:
    return _current.get() or Client()


@contextmanager
def client_context(client: Client) -> Iterator[None]:
    token = _current.set(client)
    try:
        yield
    finally:
        _current.reset(token)


def client_from_request(request: HttpRequest) -> Client:
    ip = request.META.get("REMOTE_ADDR", "")
    if settings.SECURE_PROXY_SSL_HEADER:
        # Behind the bureau's reverse proxy the peer is the proxy; it appends the real
        # client as the last X-Forwarded-For element.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            ip = forwarded.split(",")[-1].strip()
    return Client(ip=ip[:64], device=request.META.get("HTTP_USER_AGENT", "")[:300])


class ClientMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with client_context(client_from_request(request)):
            return self.get_response(request)
