from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CategoriesConfig(AppConfig):
    name = "yangguang.categories"
    label = "categories"
    verbose_name = _("Components and matters")

    def ready(self) -> None:
        from yangguang.categories.models import Category, CategoryStandard
        from yangguang.org.rules import Action, permission_name
        from yangguang.org.selectors import bureau_root
        from yangguang.records.registry import bureau_wide, register

        for model in (Category, CategoryStandard):
            register(
                model,
                get_for_user=bureau_wide(model, permission_name(Action.VIEW_ORGANISATION)),
                unit_of=lambda _obj: bureau_root(),
            )
