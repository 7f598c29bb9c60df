from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("Bureau")
    BRIGADE = "brigade", _("Brigade")
    SQUADRON = "squadron", _("Squadron")
    OFFICE = "office", _("Office")
    HANDLING = "handling", _("Handling unit")
    STREET = "street", _("Sub-district")
    COMMUNITY = "community", _("Community")


# Which kind of unit may hang under which. The bureau is the root of the tree; the
# sub-districts and outside handling units hang under it because the bureau's system
# dispatches to them, not because they report to it.
ALLOWED_PARENT_KINDS: dict[str, set[str | None]] = {
    UnitKind.BUREAU: {None},
    UnitKind.BRIGADE: {UnitKind.BUREAU},
    UnitKind.SQUADRON: {UnitKind.BUREAU, UnitKind.BRIGADE},
    UnitKind.OFFICE: {UnitKind.BUREAU, UnitKind.BRIGADE},
    UnitKind.HANDLING: {UnitKind.BUREAU, UnitKind.HANDLING, UnitKind.STREET},
    UnitKind.STREET: {UnitKind.BUREAU},
    UnitKind.COMMUNITY: {UnitKind.STREET},
}

# Units whose code is a 12-digit statistical division code (reference.md §1.4).
DIVISION_KINDS = {UnitKind.STREET, UnitKind.COMMUNITY}


class PostCode(models.TextChoices):
    INTAKE = "intake", _("Intake operator")
    DISPATCHER = "dispatcher", _("Dispatcher")
    SHIFT_LEAD = "shift_lead", _("Shift leader")
    INSPECTOR = "inspector", _("Inspector / grid officer")
    OFFICER = "officer", _("Enforcement officer")
    SQUAD_LEADER = "squad_leader", _("Squadron leader")
    LEGAL_REVIEWER = "legal_reviewer", _("Legal reviewer")
    LEADER = "leader", _("Bureau leader")
    HANDLER = "handler", _("Handling-unit staff")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# The three separated administrators (三员分立): nobody may hold two of them.
ADMIN_POSTS = frozenset({PostCode.SYSTEM_ADMIN, PostCode.SECURITY_ADMIN, PostCode.AUDIT_ADMIN})


class DataScope(models.TextChoices):
    OWN_UNIT = "own_unit", _("Own unit and the units below it")
    BUREAU = "bureau", _("The whole bureau")


DEFAULT_POST_SCOPES: dict[str, str] = {
    PostCode.INTAKE: DataScope.BUREAU,
    PostCode.DISPATCHER: DataScope.BUREAU,
    PostCode.SHIFT_LEAD: DataScope.BUREAU,
    PostCode.INSPECTOR: DataScope.OWN_UNIT,
    PostCode.OFFICER: DataScope.OWN_UNIT,
    PostCode.SQUAD_LEADER: DataScope.OWN_UNIT,
    PostCode.LEGAL_REVIEWER: DataScope.BUREAU,
    PostCode.LEADER: DataScope.BUREAU,
    PostCode.HANDLER: DataScope.OWN_UNIT,
    PostCode.SYSTEM_ADMIN: DataScope.BUREAU,
    PostCode.SECURITY_ADMIN: DataScope.BUREAU,
    PostCode.AUDIT_ADMIN: DataScope.BUREAU,
}


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    CANCELLED = "cancelled", _("Cancelled")
