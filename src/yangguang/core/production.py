"""Guards for running in production."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from yangguang.settings import DEMO_SECRET_KEY


def ensure_safe_to_serve() -> None:
    """Refuse to serve with the published demo key unless DEBUG is on."""
    if not settings.DEBUG and settings.SECRET_KEY == DEMO_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is the published demo key. Set SECRET_KEY to a long random value "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
