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
    MenuItem(_("Reports"), "backoffice:queues", permission_name(Action.READ_RECORDS), "reports"),
    MenuItem(
        _("Command centre"),
        "backoffice:command_centre",
        permission_name(Action.VIEW_COMMAND_CENTRE),
        "command",
    ),
    MenuItem(
        _("Command map"),
        "backoffice:command_map",
        permission_name(Action.VIEW_COMMAND_CENTRE),
        "map",
    ),
    MenuItem(
        _("Leaders' reports"),
        "backoffice:leader_reports",
        permission_name(Action.VIEW_COMMAND_CENTRE),
        "indicators",
    ),
    MenuItem(
        _("Indicators"),
        "backoffice:indicators",
        permission_name(Action.READ_RECORDS),
        "indicators",
    ),
    MenuItem(_("Enforcement cases"), "backoffice:cases", "yangguang.work_cases", "cases"),
    MenuItem(
        _("Published decisions"),
        "backoffice:publications",
        permission_name(Action.DISCLOSURE_PUBLISH),
        "publications",
    ),
    MenuItem(
        _("Hotline entry"), "backoffice:hotline", permission_name(Action.REPORT_ACCEPT), "hotline"
    ),
    MenuItem(
        _("Patrol finding"), "backoffice:patrol", permission_name(Action.REPORT_PATROL), "patrol"
    ),
    MenuItem(
        _("Patrol staff on duty"),
        "backoffice:patrol_positions",
        permission_name(Action.VIEW_POSITIONS),
        "patrol",
    ),
    MenuItem(
        _("Merchants (门前三包)"),
        "backoffice:merchants",
        permission_name(Action.VIEW_WORK),
        "merchants",
    ),
    MenuItem(
        _("Star ratings and 文明商家"),
        "backoffice:campaigns",
        permission_name(Action.VIEW_WORK),
        "campaigns",
    ),
    MenuItem(
        _("整改 requests"),
        "backoffice:rectifications",
        permission_name(Action.MERCHANT_MANAGE),
        "rectifications",
    ),
    MenuItem(
        _("Credit repairs"),
        "backoffice:credit_repairs",
        permission_name(Action.CREDIT_DECIDE),
        "credit",
    ),
    MenuItem(
        _("Credit schemes"),
        "backoffice:credit_schemes",
        permission_name(Action.CONFIGURE_SYSTEM),
        "credit",
    ),
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
    MenuItem(
        _("Account security"),
        "backoffice:security",
        permission_name(Action.APPROVE_RESET),
        "security",
    ),
    MenuItem(
        _("Before enforcement (事前公开)"),
        "backoffice:disclosure_setup",
        permission_name(Action.CONFIGURE_SYSTEM),
        "publications",
    ),
    MenuItem(_("System configuration"), "admin:index", "yangguang.access_admin", "settings"),
    MenuItem(_("My account"), "backoffice:account", "", "account"),
)


@dataclass(frozen=True)
class MenuEntry:
    label: Promise
    url: str
    active: bool
    icon: str


def menu_for(request: HttpRequest) -> list[MenuEntry]:
    """The user's entries; the active one is the longest URL the page's path starts with
    (so /staff/reports/new/ lights up 热线登记, not 案件)."""
    user = request.user
    home = reverse("backoffice:home")
    allowed = [
        (item, reverse(item.url_name))
        for item in MENU
        if not item.permission or user.has_perm(item.permission)
    ]
    matching = [
        url
        for _item, url in allowed
        if request.path == url or (url != home and request.path.startswith(url))
    ]
    active = max(matching, key=len) if matching else None
    return [MenuEntry(item.label, url, url == active, item.icon) for item, url in allowed]
