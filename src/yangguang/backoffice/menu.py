"""The staff menu: each entry shows only to the posts allowed to use it."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yangguang.org.rules import Action, permission_name


@dataclass(frozen=True)
class MenuItem:
    label: Promise
    url_name: str
    permission: str
    icon: str


MENU: tuple[MenuItem, ...] = (
    MenuItem(_("Home"), "backoffice:home", "", "home"),
    MenuItem(
        _("Organisation"), "backoffice:units", permission_name(Action.VIEW_ORGANISATION), "org"
    ),
    MenuItem(
        _("Staff and certificates"),
        "backoffice:staff",
        permission_name(Action.VIEW_ORGANISATION),
        "staff",
    ),
    MenuItem(
        _("Unit grids"), "backoffice:grids", permission_name(Action.VIEW_ORGANISATION), "grid"
    ),
    MenuItem(
        _("Components and events"),
        "backoffice:categories",
        permission_name(Action.VIEW_ORGANISATION),
        "category",
    ),
    MenuItem(
        _("Working calendar"),
        "backoffice:calendar",
        permission_name(Action.VIEW_ORGANISATION),
        "calendar",
    ),
    MenuItem(
        _("Audit records"), "backoffice:audit", permission_name(Action.READ_AUDIT_LOG), "audit"
    ),
    MenuItem(_("System configuration"), "admin:index", "yangguang.access_admin", "settings"),
)


@dataclass(frozen=True)
class MenuEntry:
    label: Promise
    url: str
    active: bool
    icon: str


def menu_for(request: HttpRequest) -> list[MenuEntry]:
    user = request.user
    entries = []
    for item in MENU:
        if item.permission and not user.has_perm(item.permission):
            continue
        url = reverse(item.url_name)
        active = request.path == url or (
            url != reverse("backoffice:home") and request.path.startswith(url)
        )
        entries.append(MenuEntry(item.label, url, active, item.icon))
    return entries
