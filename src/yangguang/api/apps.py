from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "yangguang.api"
    label = "api"
    verbose_name = _("API clients")

    def ready(self) -> None:
        from yangguang.api.models import ApiClient
        from yangguang.org.rules import Action, permission_name
        from yangguang.org.selectors import bureau_root
        from yangguang.records.registry import bureau_wide, register

        register(
            ApiClient,
            get_for_user=bureau_wide(ApiClient, permission_name(Action.CONFIGURE_SYSTEM)),
            unit_of=lambda _client: bureau_root(),
        )
