from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "yangguang.analytics"
    label = "analytics"
    verbose_name = _("Command centre and evaluation (数字化中心)")
