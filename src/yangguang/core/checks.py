"""System checks specific to Yangguang."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from yangguang.settings import DEMO_SECRET_KEY


@register(Tags.security, deploy=True)
def check_secret_key_is_not_demo(app_configs, **kwargs):
    if settings.SECRET_KEY == DEMO_SECRET_KEY:
        return [
            Error(
                "SECRET_KEY is the published demo key.",
                hint="Set the SECRET_KEY environment variable to a long random value.",
                id="yangguang.E001",
            )
        ]
    return []
