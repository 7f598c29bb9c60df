from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolConfig(AppConfig):
    name = "yangguang.patrol"
    label = "patrol"
    verbose_name = _("Patrol duty and positions (巡查在岗)")
