"""WSGI entry point (used by ``yangguang serve``). Refuses to start with the demo key."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")

application = get_wsgi_application()

from yangguang.core.production import ensure_safe_to_serve  # noqa: E402

ensure_safe_to_serve()
