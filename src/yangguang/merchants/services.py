"""The merchant file (一户一档): the one writer of merchants, shops, zones and 责任书.

Every change is checked here, whichever door it comes through (the back office, the
patrol page, the import, the merchant's own page), and recorded in the chain.
"""

import datetime
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.cases.identity import validate_credit_code
from yangguang.core import events
from yangguang.core.privacy import comparable
from yangguang.grids.geometry import MAX_LAT, MAX_LON, MIN_LAT, MIN_LON, GeometryError
from yangguang.merchants.enums import LetterStatus, ShopStatus, SignMethod
from yangguang.merchants.models import Duty, Merchant, ResponsibilityLetter, Shop
from yangguang.merchants.zones import default_zone, zone_bounds, zone_geometry
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.records.services import record_append

MOBILE_DIGITS = 11
FRONTAGE_MAX = Decimal("200")
DEPTH_MAX = Decimal("50")
MERCHANT_FIELDS = (
    "credit_code",
    "name",
    "operator_name",
    "phone",
    "address",
    "business_type",
)
PERSONAL = {"operator_name": "name", "phone": "phone"}
_LIMITS = {
    "name": 100,
    "operator_name": 50,
    "address": 200,
    "business_type": 50,
    "trade_name": 100,
    "street_name": 50,
}


def require(actor: User | None, action: Action = Action.MERCHANT_MANAGE) -> None:
    """Refuse an actor whose posts do not allow ``action`` (None: the system itself)."""
    if actor is not None and not allowed(actor, action):
        raise PermissionDenied(_("Your posts do not allow this."))


def _text(fields: Mapping, key: str, errors: dict, *, required: bool = True) -> str:
    value = " ".join(str(fields.get(key) or "").split())
    if "\x00" in value:
        errors[key] = _("Remove the control characters.")
    elif required and not value:
        errors[key] = _("Required.")
    elif len(value) > _LIMITS.get(key, 200):
        errors[key] = _("At most %(max)d characters.") % {"max": _LIMITS.get(key, 200)}
    return value


def mobile(value: object) -> str | None:
    """An 11-digit mainland mobile number (full-width digits and separators allowed), or None."""
    digits = comparable(str(value or "")).strip()
    if len(digits) == MOBILE_DIGITS and digits.isascii() and digits.isdigit() and digits[0] == "1":
        return digits
    return None


def licences_clean(value: object) -> list[dict[str, str]]:
    """Licences as [{kind, number, valid_until}]; ValidationError on ``licences``."""
    if value in (None, "", []):
        return []
    if not isinstance(value, list) or len(value) > 20:
        raise ValidationError({"licences": _("List at most 20 licences.")})
    cleaned = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, Mapping) or not str(item.get("kind") or "").strip():
            raise ValidationError(
                {"licences": _("Licence %(n)d: give its kind and number.") % {"n": number}}
            )
        valid_until = str(item.get("valid_until") or "").strip()
        if valid_until:
            try:
                datetime.date.fromisoformat(valid_until)
            except ValueError:
                raise ValidationError(
                    {"licences": _("Licence %(n)d: write the date as 2027-06-30.") % {"n": number}}
                ) from None
        cleaned.append(
            {
                "kind": str(item["kind"]).strip()[:50],
                "number": str(item.get("number") or "").strip()[:50],
                "valid_until": valid_until,
            }
        )
    return cleaned


def merchant_clean(fields: Mapping, *, existing: Merchant | None = None) -> dict[str, object]:
    """The merchant's fields checked and normalised; ValidationError by field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, object] = {}
    try:
        cleaned["credit_code"] = validate_credit_code(str(fields.get("credit_code") or ""))
    except ValidationError as error:
        errors["credit_code"] = error.messages[0]
    else:
        taken = Merchant.objects.filter(credit_code=cleaned["credit_code"])
        if existing is not None:
            taken = taken.exclude(pk=existing.pk)
        if taken.exists():
            errors["credit_code"] = _("A merchant with this credit code is on file already.")
    for key in ("name", "operator_name", "business_type"):
        cleaned[key] = _text(fields, key, errors)
    cleaned["address"] = _text(fields, "address", errors, required=False)
    phone = mobile(fields.get("phone"))
    if phone is None:
        errors["phone"] = _("Give the operator's 11-digit mobile number.")
    cleaned["phone"] = phone or ""
    try:
        cleaned["licences"] = licences_clean(fields.get("licences"))
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return cleaned


def merchant_save(
    *,
    fields: Mapping,
    actor: User | None,
    merchant: Merchant | None = None,
    now: datetime.datetime | None = None,
) -> Merchant:
    """Add a merchant to the file, or change one."""
    require(actor)
    cleaned = merchant_clean(fields, existing=merchant)
    now = now or timezone.now()
    with transaction.atomic():
        if merchant is None:
            merchant = Merchant.objects.create(**cleaned, created_at=now, created_by=actor)
            before: dict = {}
            action = "merchants.merchant_add"
        else:
            merchant = Merchant.objects.select_for_update().get(pk=merchant.pk)
            before = {key: getattr(merchant, key) for key in cleaned}
            for key, value in cleaned.items():
                setattr(merchant, key, value)
            merchant.save(update_fields=[*cleaned, "updated_at"])
            action = "merchants.merchant_update"
        changes = {
            key: [before.get(key), value]
            for key, value in cleaned.items()
            if before.get(key) != value
        }
        record_append(
            action=action, target=merchant, actor=actor, changes=changes, personal=PERSONAL
        )
        if not before:
            events.announce(events.MERCHANT_ADDED, merchant=merchant, now=now)
    return merchant


@dataclass(frozen=True)
class ShopFields:
    trade_name: str
    address: str
    longitude: float
    latitude: float
    street_name: str = ""
    frontage_m: object = Decimal("6.0")
    depth_m: object = Decimal("5.0")
    facing: object = 180
    zone: object = None  # GeoJSON drawn on the map; None for the default rectangle
    duties: Iterable[str] | None = None  # duty codes; None for every duty in use


def _decimal(value: object, key: str, maximum: Decimal, errors: dict) -> Decimal:
    try:
        number = Decimal(comparable(str(value)).strip())
    except (InvalidOperation, ValueError):
        errors[key] = _("Write a number of metres.")
        return Decimal(0)
    if not number.is_finite() or not Decimal("0.5") <= number <= maximum:
        errors[key] = _("Between 0.5 and %(max)s metres.") % {"max": maximum}
        return Decimal(0)
    return number.quantize(Decimal("0.1"))


def _position(value: object, key: str, low: float, high: float, errors: dict) -> float:
    try:
        number = float(comparable(str(value)).strip())
    except (TypeError, ValueError):
        errors[key] = _("Pick the place on the map.")
        return 0.0
    if not low <= number <= high:
        errors[key] = _("The position is outside China; check latitude and longitude.")
        return 0.0
    return number


def shop_clean(data: ShopFields) -> dict[str, object]:
    """The shop's fields, its zone and duties checked; ValidationError by field."""
    errors: dict[str, str] = {}
    raw = {"trade_name": data.trade_name, "address": data.address, "street_name": data.street_name}
    cleaned: dict[str, object] = {
        "trade_name": _text(raw, "trade_name", errors),
        "address": _text(raw, "address", errors),
        "street_name": _text(raw, "street_name", errors, required=False),
        "longitude": _position(data.longitude, "longitude", MIN_LON, MAX_LON, errors),
        "latitude": _position(data.latitude, "latitude", MIN_LAT, MAX_LAT, errors),
        "frontage_m": _decimal(data.frontage_m, "frontage_m", FRONTAGE_MAX, errors),
        "depth_m": _decimal(data.depth_m, "depth_m", DEPTH_MAX, errors),
    }
    try:
        facing = int(comparable(str(data.facing)).strip())
        if not 0 <= facing < 360:
            raise ValueError
        cleaned["facing"] = facing
    except (TypeError, ValueError):
        errors["facing"] = _("Give the direction the front faces, 0 to 359 degrees.")
    duties = list(Duty.objects.filter(active=True))
    if data.duties is not None:
        wanted = {str(code) for code in data.duties}
        duties = [duty for duty in duties if duty.code in wanted]
        if len(duties) != len(wanted) or not duties:
            errors["duties"] = _("Choose the duties from the list of duties in use.")
    cleaned["duties"] = duties
    if not errors:
        if data.zone in (None, "", {}):
            cleaned["zone"] = default_zone(
                lon=cleaned["longitude"],
                lat=cleaned["latitude"],
                frontage_m=float(cleaned["frontage_m"]),
                depth_m=float(cleaned["depth_m"]),
                facing=cleaned["facing"],
            )
            cleaned["zone_drawn"] = False
        else:
            try:
                from yangguang.grids.geometry import to_geojson

                cleaned["zone"] = to_geojson(zone_geometry(data.zone))
                cleaned["zone_drawn"] = True
            except GeometryError as error:
                errors["zone"] = error.reason
    if errors:
        raise ValidationError(errors)
    bbox = zone_bounds(cleaned["zone"])
    cleaned.update(zip(("min_lon", "min_lat", "max_lon", "max_lat"), bbox, strict=True))
    return cleaned


def new_board_token() -> str:
    return secrets.token_urlsafe(9)  # 12 characters, 72 bits


def shop_register(
    *,
    merchant: Merchant,
    data: ShopFields,
    actor: User | None,
    front_photo: File | None = None,
    now: datetime.datetime | None = None,
) -> Shop:
    """Register a shop front with its zone and duties (on patrol, with a photo of the
    front; or from the import). The grid is found from the position."""
    from yangguang.grids.selectors import grid_at

    require(actor)
    cleaned = shop_clean(data)
    if front_photo is not None:
        from yangguang.reports.photos import photos_check

        photos_check([front_photo])
    duties = cleaned.pop("duties")
    now = now or timezone.now()
    with transaction.atomic():
        shop = Shop.objects.create(
            merchant=merchant,
            grid=grid_at(lon=cleaned["longitude"], lat=cleaned["latitude"]),
            board_token=new_board_token(),
            created_at=now,
            created_by=actor,
            **cleaned,
        )
        shop.duties.set(duties)
        evidence = []
        if front_photo is not None:
            shop.front_photo = _store_photo(shop, front_photo, actor)
            shop.save(update_fields=["front_photo"])
            evidence.append(shop.front_photo)
        record_append(
            action="merchants.shop_register",
            target=shop,
            actor=actor,
            changes={
                "merchant": [None, merchant.name],
                "address": [None, shop.address],
                "duties": [None, [duty.name for duty in duties]],
                "zone_drawn": [None, shop.zone_drawn],
            },
            evidence=evidence,
        )
    return shop


def _store_photo(shop: Shop, upload: File, actor: User | None) -> str:
    from yangguang.records.evidence import evidence_add
    from yangguang.records.registry import target_for

    return evidence_add(
        upload=upload, name=upload.name, target=target_for(shop), actor=actor
    ).sha256


def shop_zone_set(
    *,
    shop: Shop,
    zone: object,
    actor: User | None,
    frontage_m: object = None,
    depth_m: object = None,
    facing: object = None,
    duties: Iterable[str] | None = None,
) -> Shop:
    """Redraw the zone (GeoJSON; None for the frontage × depth rectangle) and the duties.
    The merchant's signed letter stays as it was written; issue a new one to bind them."""
    require(actor)
    data = ShopFields(
        trade_name=shop.trade_name,
        address=shop.address,
        street_name=shop.street_name,
        longitude=shop.longitude,
        latitude=shop.latitude,
        frontage_m=shop.frontage_m if frontage_m is None else frontage_m,
        depth_m=shop.depth_m if depth_m is None else depth_m,
        facing=shop.facing if facing is None else facing,
        zone=zone,
        duties=duties if duties is not None else [d.code for d in shop.duties.all()],
    )
    cleaned = shop_clean(data)
    new_duties = cleaned.pop("duties")
    with transaction.atomic():
        shop = Shop.objects.select_for_update().get(pk=shop.pk)
        before = {"zone": shop.zone, "duties": sorted(d.name for d in shop.duties.all())}
        fields = ["zone", "zone_drawn", "frontage_m", "depth_m", "facing", *zone_bounds_fields()]
        for key in fields:
            setattr(shop, key, cleaned[key])
        shop.save(update_fields=fields)
        shop.duties.set(new_duties)
        record_append(
            action="merchants.zone_set",
            target=shop,
            actor=actor,
            changes={
                "zone": [before["zone"], shop.zone],
                "duties": [before["duties"], sorted(d.name for d in new_duties)],
            },
        )
    return shop


def zone_bounds_fields() -> tuple[str, ...]:
    return ("min_lon", "min_lat", "max_lon", "max_lat")


def shop_close(*, shop: Shop, actor: User | None, reason: str) -> Shop:
    """The shop has closed: it leaves the boards and the lists; its history stays."""
    require(actor)
    reason = (reason or "").strip()
    if not reason or "\x00" in reason:
        raise ValidationError({"reason": _("Give the reason.")})
    with transaction.atomic():
        shop = Shop.objects.select_for_update().get(pk=shop.pk)
        if shop.status == ShopStatus.CLOSED:
            return shop
        shop.status = ShopStatus.CLOSED
        shop.save(update_fields=["status"])
        record_append(
            action="merchants.shop_close",
            target=shop,
            actor=actor,
            changes={"status": [ShopStatus.OPEN.value, ShopStatus.CLOSED.value]},
            reason=reason[:300],
        )
    return shop


# 责任书 ---------------------------------------------------------------------------------


def _letter_number(now: datetime.datetime) -> str:
    from yangguang.core.sequences import counter_next
    from yangguang.merchants.models import LetterCounter

    year = timezone.localtime(now).year
    return f"门前三包〔{year}〕第{counter_next(LetterCounter, year=year)}号"


def letter_issue(
    *, shop: Shop, actor: User | None, now: datetime.datetime | None = None
) -> ResponsibilityLetter:
    """Write the shop's zone and duties into a new 责任书 (the one before it is
    superseded) and text the merchant a link to read and sign it."""
    from yangguang.merchants.access import access_issue

    require(actor)
    if actor is None:
        raise PermissionDenied(_("A letter is issued by a member of staff."))
    now = now or timezone.now()
    with transaction.atomic():
        shop = Shop.objects.select_for_update().select_related("merchant").get(pk=shop.pk)
        if shop.status != ShopStatus.OPEN:
            raise ValidationError(_("The shop is closed."), code="closed")
        shop.letters.exclude(status=LetterStatus.SUPERSEDED).update(status=LetterStatus.SUPERSEDED)
        letter = ResponsibilityLetter.objects.create(
            shop=shop,
            number=_letter_number(now),
            duties=[
                {"code": d.code, "name": d.name, "description": d.description}
                for d in shop.duties.all()
            ],
            zone=shop.zone,
            issued_at=now,
            issued_by=actor,
        )
        record_append(
            action="merchants.letter_issue",
            target=letter,
            actor=actor,
            changes={"number": [None, letter.number]},
        )
        access_issue(merchant=shop.merchant, purpose="letter", now=now)
    return letter


def letter_sign_electronic(
    *, letter: ResponsibilityLetter, phone: str, now: datetime.datetime | None = None
) -> ResponsibilityLetter:
    """The merchant signs on their page, signed in by a code sent to ``phone``."""
    return _sign(letter=letter, method=SignMethod.ELECTRONIC, phone=phone, actor=None, now=now)


def letter_sign_paper(
    *,
    letter: ResponsibilityLetter,
    scan: File,
    actor: User,
    now: datetime.datetime | None = None,
) -> ResponsibilityLetter:
    """Staff upload the scan of the letter the merchant signed on paper."""
    from yangguang.records.evidence import evidence_add
    from yangguang.records.registry import target_for

    require(actor)
    sha256 = evidence_add(
        upload=scan, name=scan.name, target=target_for(letter), actor=actor
    ).sha256
    return _sign(
        letter=letter, method=SignMethod.PAPER, phone="", actor=actor, now=now, scan=sha256
    )


def _sign(
    *,
    letter: ResponsibilityLetter,
    method: str,
    phone: str,
    actor: User | None,
    now: datetime.datetime | None,
    scan: str = "",
) -> ResponsibilityLetter:
    now = now or timezone.now()
    with transaction.atomic():
        letter = ResponsibilityLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != LetterStatus.ISSUED:
            raise ValidationError(
                _("This letter cannot be signed: it is “%(status)s”.")
                % {"status": letter.get_status_display()},
                code="not_issued",
            )
        letter.status, letter.signed_at, letter.sign_method = LetterStatus.SIGNED, now, method
        letter.signed_phone, letter.scan = phone, scan
        letter.save(update_fields=["status", "signed_at", "sign_method", "signed_phone", "scan"])
        record_append(
            action="merchants.letter_sign",
            target=letter,
            actor=actor,
            changes={
                "status": [LetterStatus.ISSUED.value, LetterStatus.SIGNED.value],
                "method": [None, method],
            },
            evidence=[scan] if scan else [],
        )
    return letter
