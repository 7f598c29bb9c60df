"""Simplified Chinese unless the user chose another language.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer's
English-language browser would get an English UI. Bureaus expect Chinese by default;
English is available through the language switch (the ``django_language`` cookie).
API clients (/api/, /open311/) are programs: their Accept-Language header is honoured.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

API_PATHS = ("/api/", "/open311/")


class DefaultLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in self.supported and request.path.startswith(API_PATHS):
            # Programs say which language they want; people get Chinese unless they choose.
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
