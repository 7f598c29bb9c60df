"""Every action code the record log accepts, with its label. One place, so a typo in a
service fails loudly and the timeline can name each action in the user's language.

Codes are dotted: ``<domain>.<object>.<verb>``. Later modules add theirs here.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # Sign-in (audit administrator only)
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Failed login attempt"),
    "auth.logout": _("Logged out"),
    # Organisation
    "org.unit.create": _("Unit created"),
    "org.unit.update": _("Unit changed"),
    "org.user.create": _("Account created"),
    "org.user.update": _("Account changed"),
    "org.user.posts": _("Posts changed"),
    "org.user.password": _("Password changed"),
    "org.certificate.add": _("Enforcement certificate recorded"),
    "org.certificate.update": _("Enforcement certificate changed"),
    "org.certificate.delete": _("Enforcement certificate removed"),
    # Configuration without rules of its own (ranks, handling-unit types, posts …)
    "config.create": _("Configuration added"),
    "config.update": _("Configuration changed"),
    "config.delete": _("Configuration removed"),
    # Grids, categories, calendar
    "grids.import": _("Grid imported from a boundary file"),
    "grids.grid.update": _("Grid changed"),
    "grids.grid.delete": _("Grid deleted"),
    "categories.import": _("Category imported from a code-set file"),
    "categories.category.configure": _("Category configured"),
    "worktime.calendar.import": _("Calendar imported"),
    "worktime.calendar.provisional": _("Provisional calendar created"),
    "worktime.year.set": _("Calendar year changed"),
    "worktime.year.delete": _("Calendar year removed"),
    "worktime.day.set": _("Special day set"),
    "worktime.day.delete": _("Special day removed"),
    "worktime.periods.set": _("Working hours changed"),
    # Evidence and the record itself
    "evidence.store": _("Evidence stored"),
    "evidence.attach": _("Evidence attached"),
    "record.personal_data.view": _("Personal data in a record viewed"),
    "record.export": _("Record printed"),
}

# Entries only the audit administrator reads: sign-ins, accounts and posts.
AUDIT_ONLY_PREFIXES = ("auth.", "org.user.", "record.personal_data.")


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))
