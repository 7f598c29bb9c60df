from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    """Where a decision's publication stands (事后公开). One writer: ``services``."""

    PROPOSED = "proposed", _("Awaiting the legal office's approval")
    PUBLISHED = "published", _("Published")
    REFUSED = "refused", _("Not published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REMOVED = "removed", _("Removed at the end of its period")


class RefusalGround(models.TextChoices):
    """What must not be published online (政府信息公开条例 第十四、十五条; the provincial
    rules on publishing penalty results)."""

    STATE_SECRET = "state_secret", _("State secret (国家秘密)")
    TRADE_SECRET = "trade_secret", _("Trade secret (商业秘密)")
    PRIVACY = "privacy", _("Personal privacy (个人隐私)")
    MINOR = "minor", _("The party is a minor (未成年人)")
    SECURITY = "security", _("Endangers security or social stability")
    NON_PUBLIC = "non_public", _("Marked non-public by the bureau, with a reason")
    SET_ASIDE = "set_aside", _("The decision was set aside before publication")


class WithdrawalGround(models.TextChoices):
    """行政处罚法 第四十八条第二款: a published decision that is changed, revoked,
    confirmed unlawful or void is withdrawn within three days, with the reason."""

    CHANGED = "changed", _("Changed (变更)")
    REVOKED = "revoked", _("Revoked (撤销)")
    CONFIRMED_UNLAWFUL = "confirmed_unlawful", _("Confirmed unlawful (确认违法)")
    VOID = "void", _("Confirmed void (确认无效)")


class IndividualNameRule(models.TextChoices):
    """How an individual party is named in a published decision (local rules differ)."""

    SURNAME_MOU = "surname_mou", _("Surname and 某 (张某)")
    SURNAME_MOUMOU = "surname_moumou", _("Surname and 某某 (张某某)")
    OMIT = "omit", _("Not named (当事人)")


class SoleTraderRule(models.TextChoices):
    """个体工商户: published under the trade name, or masked like an individual."""

    TRADE_NAME = "trade_name", _("Under the trade name, the operator masked")
    AS_INDIVIDUAL = "as_individual", _("Masked like an individual")


class ListKind(models.TextChoices):
    """Lists the bureau publishes and keeps versioned (事前公开)."""

    RANDOM_INSPECTION = "random_inspection", _("Random inspection items (随机抽查事项清单)")
