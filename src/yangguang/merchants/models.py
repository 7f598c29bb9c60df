"""The merchant file (一户一档): merchants, their shops on the street, each shop's 门前三包
responsibility zone and duties, the 责任书 the merchant signs, the patrol inspections of
the zone and the 整改 requests they open. Management before enforcement (721工作法).

Every change goes through ``merchants.services`` (file, zones, letters) or
``merchants.inspections`` (inspections, 整改) and is recorded in the chain.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yangguang.core.onetime import OneTimeCodeFields
from yangguang.merchants.enums import (
    LetterStatus,
    RectificationStatus,
    ShopStatus,
    SignMethod,
)


class Duty(models.Model):
    """One duty of the 门前三包 (一包 市容整洁, 二包 环境卫生, 三包 设施/绿化); a bureau with
    门前五包 or 六包 adds its own. Written into every 责任书 and checked item by item at
    inspections."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    description = models.TextField(
        _("what it requires"),
        help_text=_("Written into the 责任书 and on the board, as the merchant reads it."),
    )
    checklist = models.JSONField(
        _("inspection checklist"),
        default=list,
        blank=True,
        help_text=_("The items an inspector checks for this duty, one sentence each."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("门前三包 duty")
        verbose_name_plural = _("门前三包 duties")

    def __str__(self) -> str:
        return self.name


class Merchant(models.Model):
    """A business on the street (经营主体), identified by its unified social credit code."""

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("registered name"), max_length=100)
    operator_name = models.CharField(
        _("operator (经营者/负责人)"),
        max_length=50,
        help_text=_("Personal data: masked wherever the viewer has no right to it."),
    )
    phone = models.CharField(
        _("mobile"),
        max_length=11,
        help_text=_("Receives the 责任书 link, notices and the sign-in codes."),
    )
    address = models.CharField(_("registered address"), max_length=200, blank=True)
    business_type = models.CharField(_("business type"), max_length=50)
    licences = models.JSONField(
        _("licences"),
        default=list,
        blank=True,
        help_text=_("Each licence: kind, number and valid until."),
    )
    created_at = models.DateTimeField(_("registered"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        indexes = [models.Index(fields=["phone"], name="merchants_phone")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_sole_trader(self) -> bool:
        """个体工商户: registration-authority code 9, kind 2 (GB 32100-2015 table 1). Their
        registered name is often the operator's own name, so public pages show the shop's
        trade name instead."""
        return self.credit_code.startswith("92")


class Shop(models.Model):
    """A shop front and its 门前三包 responsibility zone."""

    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="shops"
    )
    trade_name = models.CharField(_("trade name (招牌)"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    street_name = models.CharField(
        _("street"), max_length=50, blank=True, help_text=_("Boards are printed by street.")
    )
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))
    grid = models.ForeignKey(
        "grids.Grid",
        verbose_name=_("unit grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shops",
    )
    frontage_m = models.DecimalField(
        _("frontage (m)"), max_digits=6, decimal_places=1, default=Decimal("6.0")
    )
    depth_m = models.DecimalField(
        _("zone depth from the front (m)"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("5.0"),
    )
    facing = models.PositiveSmallIntegerField(
        _("facing (degrees from north)"),
        default=180,
        help_text=_("The direction the front faces, towards the street: 0 north, 90 east."),
    )
    zone = models.JSONField(
        _("responsibility zone (GeoJSON)"),
        help_text=_("Drawn on the map, or the frontage × depth in front of the shop."),
    )
    zone_drawn = models.BooleanField(_("zone drawn on the map"), default=False)
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)
    duties = models.ManyToManyField(Duty, verbose_name=_("duties"), related_name="shops")
    board_token = models.CharField(
        _("board code"),
        max_length=16,
        unique=True,
        help_text=_("In the QR code of the shop's board: random, so shops cannot be counted."),
    )
    front_photo = models.CharField(_("photo of the front (SHA-256)"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ShopStatus.choices, default=ShopStatus.OPEN
    )
    created_at = models.DateTimeField(_("registered"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["street_name", "address"]
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        indexes = [
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="shops_bbox"),
            models.Index(fields=["street_name"], name="shops_street"),
        ]

    def __str__(self) -> str:
        return self.trade_name


class LetterCounter(models.Model):
    """The last 责任书 number given out in a year."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year} {self.last}"


class ResponsibilityLetter(models.Model):
    """The 门前三包 责任书 (市容环境卫生责任区告知书): the zone and duties as issued, and how
    the merchant signed. A newer letter supersedes the older one."""

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="letters")
    number = models.CharField(_("number"), max_length=30, unique=True)
    duties = models.JSONField(_("duties as written"))
    zone = models.JSONField(_("zone as written"))
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=LetterStatus.choices, default=LetterStatus.ISSUED
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    sign_method = models.CharField(
        _("signed by"), max_length=12, choices=SignMethod.choices, blank=True
    )
    signed_phone = models.CharField(_("signed from phone"), max_length=11, blank=True)
    scan = models.CharField(_("scan of the paper letter (SHA-256)"), max_length=64, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("responsibility letter")
        verbose_name_plural = _("responsibility letters")
        constraints = [
            models.UniqueConstraint(
                fields=["shop"],
                condition=~Q(status="superseded"),
                name="merchants_one_current_letter",
            ),
            models.CheckConstraint(
                condition=Q(status="signed", signed_at__isnull=False) | ~Q(status="signed"),
                name="merchants_signed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class MerchantAccess(OneTimeCodeFields):
    """A merchant's sign-in to their own page: a secret link sent by text message, or the
    credit code and phone typed in; either way a one-time code to the phone."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="accesses")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("merchant sign-in")
        verbose_name_plural = _("merchant sign-ins")

    def __str__(self) -> str:
        return f"{self.merchant} {self.created_at:%Y-%m-%d}"


class Inspection(models.Model):
    """A patrol inspection (巡查) of a shop's zone against each duty's checklist."""

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="inspections")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField(_("inspected"), db_index=True)
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-inspected_at"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [models.Index(fields=["shop", "-inspected_at"], name="inspections_shop_newest")]

    def __str__(self) -> str:
        return f"{self.shop} {self.inspected_at:%Y-%m-%d}"


class InspectionItem(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("checklist item"), max_length=200)
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("finding"), max_length=500, blank=True)
    photos = models.JSONField(_("photos (SHA-256)"), default=list, blank=True)

    class Meta:
        ordering = ["inspection", "duty__position", "pk"]
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")

    def __str__(self) -> str:
        return self.item


class Rectification(models.Model):
    """A 整改 request for a failed inspection item, due on a working day."""

    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="rectifications")
    item = models.OneToOneField(
        InspectionItem, on_delete=models.PROTECT, related_name="rectification"
    )
    requirement = models.CharField(_("what to correct"), max_length=500)
    opened_at = models.DateTimeField(_("opened"))
    due_at = models.DateTimeField(_("correct by"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
        db_index=True,
    )
    after_photos = models.JSONField(_("after-photos (SHA-256)"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("merchant reported it corrected"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("整改 request")
        verbose_name_plural = _("整改 requests")

    def __str__(self) -> str:
        return f"{self.shop} {self.requirement[:30]}"


# --- Star-rating campaigns (星级评定 / 文明商家): one writer, ``merchants.campaigns`` ---


class Commendation(models.Model):
    """A 表彰 a merchant received (from the bureau, the sub-district, the city), with the
    document that awarded it: the source of its positive credit event."""

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="commendations")
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="commendations", null=True, blank=True
    )
    title = models.CharField(_("commendation"), max_length=100)
    awarded_by = models.CharField(_("awarded by"), max_length=100)
    awarded_on = models.DateField(_("awarded on"))
    reference = models.CharField(_("document reference"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-awarded_on"]
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")

    def __str__(self) -> str:
        return f"{self.title} {self.awarded_on:%Y-%m-%d}"


class CampaignKind(models.TextChoices):
    CIVILISED = "civilised", _("文明商家 (a number of titles)")
    STARS = "stars", _("Star rating (stars by result)")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open: scoring and voting")
    CLOSED = "closed", _("Scoring closed: awaiting the committee")
    APPROVED = "approved", _("Approved by the committee")
    PUBLISHED = "published", _("Published")


class ScoreRole(models.TextChoices):
    INSPECTOR = "inspector", _("Inspectors")
    STREET = "street", _("Sub-district / community")


class Campaign(models.Model):
    """A 星级评定 or 文明商家 campaign: the criteria and period, how inspectors, the
    sub-districts and the public weigh in, the shops entered, the title it awards."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=CampaignKind.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    criteria = models.JSONField(
        _("criteria"), help_text=_("Each criterion: the item and its maximum points.")
    )
    weight_inspectors = models.PositiveSmallIntegerField(_("inspectors' weight (%)"))
    weight_streets = models.PositiveSmallIntegerField(_("sub-districts' weight (%)"))
    weight_public = models.PositiveSmallIntegerField(
        _("public vote weight (%)"), help_text=_("0: no public vote.")
    )
    streets = models.JSONField(_("streets entered"), default=list, blank=True)
    title = models.CharField(_("title awarded"), max_length=100)
    titles = models.PositiveSmallIntegerField(
        _("number of titles"), null=True, blank=True, help_text=_("文明商家: the best N.")
    )
    star_thresholds = models.JSONField(
        _("star thresholds"),
        default=list,
        blank=True,
        help_text=_("Star rating: each level's stars and the least result it needs."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("scoring closed"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    minutes = models.TextField(_("committee minutes"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("star-rating campaign")
        verbose_name_plural = _("star-rating campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    weight_inspectors__lte=100,
                    weight_streets__lte=100,
                    weight_public__lte=100,
                )
                & Q(weight_inspectors=100 - models.F("weight_streets") - models.F("weight_public")),
                name="merchants_campaign_weights_100",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="merchants_campaign_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def max_points(self) -> int:
        return sum(int(c["max_points"]) for c in self.criteria)


class CampaignEntry(models.Model):
    """A shop entered in a campaign, with its result once scoring closes."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="campaign_entries")
    inspector_score = models.DecimalField(
        _("inspectors (of 100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    street_score = models.DecimalField(
        _("sub-district (of 100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    votes = models.PositiveIntegerField(_("public votes"), default=0)
    public_score = models.DecimalField(
        _("public (of 100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    result = models.DecimalField(
        _("result (of 100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("placing"), null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    awarded = models.BooleanField(_("title awarded"), default=False)

    class Meta:
        ordering = ["campaign", "rank", "shop__street_name", "shop__trade_name", "pk"]
        verbose_name = _("campaign entry")
        verbose_name_plural = _("campaign entries")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "shop"], name="merchants_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign.title} {self.shop.trade_name}"


class CampaignScore(models.Model):
    """One scorer's points for one criterion of one entry (inspectors, or the staff of
    the shop's sub-district)."""

    entry = models.ForeignKey(CampaignEntry, on_delete=models.CASCADE, related_name="scores")
    role = models.CharField(_("as"), max_length=10, choices=ScoreRole.choices)
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    item = models.PositiveSmallIntegerField(_("criterion"))
    points = models.PositiveSmallIntegerField(_("points"))
    scored_at = models.DateTimeField(_("scored"))

    class Meta:
        ordering = ["entry", "role", "scorer", "item"]
        verbose_name = _("campaign score")
        verbose_name_plural = _("campaign scores")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "role", "scorer", "item"], name="merchants_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} {self.role} {self.item}: {self.points}"


class CampaignVoteCode(OneTimeCodeFields):
    """A voter's phone proven by a code. ``phone`` holds the number only while its code is
    handed to the outbox; ``phone_hash`` (HMAC, per campaign) is what is kept."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="vote_codes")
    phone_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("asked"))

    class Meta:
        verbose_name = _("vote code")
        verbose_name_plural = _("vote codes")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "phone_hash"], name="merchants_vote_code")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.phone_hash[:8]}"


class CampaignVote(models.Model):
    """One public vote: one per phone per campaign (the phone kept only as an HMAC)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="votes")
    entry = models.ForeignKey(CampaignEntry, on_delete=models.CASCADE, related_name="public_votes")
    phone_hash = models.CharField(max_length=64)
    cast_at = models.DateTimeField(_("cast"))

    class Meta:
        verbose_name = _("public vote")
        verbose_name_plural = _("public votes")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "phone_hash"], name="merchants_one_vote")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.cast_at:%Y-%m-%d}"
