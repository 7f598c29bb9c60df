"""ASGI entry point. Refuses to start with the demo key, like the WSGI one."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")

application = get_asgi_application()

from yangguang.core.production import ensure_safe_to_serve  # noqa: E402

ensure_safe_to_serve()
