"""Guards for running in production, and the demo's self-generated secret key."""

import os
import secrets
from pathlib import Path

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


def demo_secret_key() -> str:
    """A random key kept in the data directory, so a demo's sessions survive restarts."""
    data_dir = Path(os.environ.get("YANGGUANG_DATA_DIR", "var")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()
