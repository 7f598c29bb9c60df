from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _unit_of_shop(shop):
    from yangguang.org.selectors import bureau_root

    grid = shop.grid
    return grid.squadron if grid is not None and grid.squadron_id else bureau_root()


class MerchantsConfig(AppConfig):
    name = "yangguang.merchants"
    label = "merchants"
    verbose_name = _("Merchants (门前三包)")

    def ready(self) -> None:
        from yangguang.merchants.models import (
            Duty,
            Merchant,
            ResponsibilityLetter,
            Shop,
        )
        from yangguang.merchants.models import Rectification as Rect
        from yangguang.org.rules import Action, permission_name
        from yangguang.org.selectors import bureau_root
        from yangguang.records.registry import bureau_wide, register

        # The merchant file is the bureau's: every holder of a work post may read it.
        readable = permission_name(Action.VIEW_WORK)
        register(
            Merchant, get_for_user=bureau_wide(Merchant, readable), unit_of=lambda _m: bureau_root()
        )
        register(Shop, get_for_user=bureau_wide(Shop, readable), unit_of=_unit_of_shop)
        register(
            ResponsibilityLetter,
            get_for_user=bureau_wide(ResponsibilityLetter, readable),
            unit_of=lambda letter: _unit_of_shop(letter.shop),
        )
        register(
            Rect, get_for_user=bureau_wide(Rect, readable), unit_of=lambda r: _unit_of_shop(r.shop)
        )
        from yangguang.merchants.models import Campaign

        register(
            Campaign,
            get_for_user=bureau_wide(Campaign, readable),
            unit_of=lambda _c: bureau_root(),
        )
        register(
            Duty,
            get_for_user=bureau_wide(Duty, permission_name(Action.VIEW_ORGANISATION)),
            unit_of=lambda _d: bureau_root(),
        )
