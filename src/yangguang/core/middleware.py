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


# Session keys: when the session last saw a request, and when it was signed in.
SESSION_SEEN = "yangguang_seen"
SESSION_STARTED = "yangguang_started"
# The last-seen time is written at most this often (a session write per request would
# be a database write per request); the idle timeout is exact to within it.
SEEN_RESOLUTION_SECONDS = 60


def session_stamp(sender, request: HttpRequest, user, **kwargs) -> None:
    """Start a new session's clocks: connected to ``user_logged_in``, so every sign-in
    (the back office's, a test client's) stamps its session. Not a record: the sign-in
    itself is recorded by the view that completes it."""
    from django.utils import timezone

    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_STARTED] = session[SESSION_SEEN] = timezone.now().timestamp()


class SessionTimeoutMiddleware:
    """Ends a staff session idle for ``IDLE_TIMEOUT_MINUTES`` or older than
    ``SESSION_COOKIE_AGE`` (YANGGUANG_SESSION_SECONDS, counted from the sign-in, however
    active the session): 等保2.0 GB/T 22239-2019 8.1.4.1 b (登录连接超时自动退出);
    OWASP ASVS V3.3.2. The end is recorded; a page request is sent to the sign-in page,
    an API request goes on unauthenticated (401/403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest, user) -> HttpResponse | None:
        from django.contrib.auth import logout
        from django.contrib.auth.views import redirect_to_login
        from django.utils import timezone

        from yangguang.org.signin import session_expired_recorded

        now = timezone.now().timestamp()
        session = request.session
        seen, started = session.get(SESSION_SEEN), session.get(SESSION_STARTED)
        idle = seen is not None and now - seen > settings.IDLE_TIMEOUT_MINUTES * 60
        too_old = started is not None and now - started > settings.SESSION_COOKIE_AGE
        if not (idle or too_old):
            if started is None:
                session[SESSION_STARTED] = now
            if seen is None or now - seen >= SEEN_RESOLUTION_SECONDS:
                session[SESSION_SEEN] = now
            return None
        session_expired_recorded(user=user, idle=idle)
        logout(request)
        if request.path.startswith(API_PATHS):
            return None
        response = redirect_to_login(request.get_full_path())
        response["Location"] += "&timeout=1" if "?" in response["Location"] else "?timeout=1"
        return response
