"""Writes to the organisation: units, staff accounts, posts and certificates."""

import datetime
import hashlib
from collections.abc import Iterable, Sequence

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yangguang.org.enums import ADMIN_POSTS, ALLOWED_PARENT_KINDS, DIVISION_KINDS, UnitKind
from yangguang.org.images import OFFICER_PHOTO, SEAL, image_validate, photo_normalise
from yangguang.org.models import (
    Certificate,
    HandlingUnitType,
    OfficerPhoto,
    Post,
    Rank,
    Unit,
    UnitSeal,
    User,
)
from yangguang.org.passwords import password_set
from yangguang.org.validators import validate_division_code
from yangguang.records.diff import changes_between, created, snapshot
from yangguang.records.services import record_append

UNIT_FIELDS = [
    "name",
    "kind",
    "code",
    "parent",
    "handling_type",
    "is_external",
    "phone",
    "sort_order",
    "is_active",
]
STAFF_FIELDS = ["username", "name", "phone", "unit", "rank", "is_active"]
CERTIFICATE_FIELDS = [
    "number",
    "issuing_authority",
    "valid_from",
    "valid_to",
    "status",
    "note",
    "enforcement_category",
    "enforcement_area",
]
# The staff member's mobile number is masked in records for readers without the right.
STAFF_PERSONAL = {"phone": "phone"}


class EnforcementTeamError(ValidationError):
    """Raised when officers may not be assigned to an enforcement action."""


def unit_validate(
    *,
    kind: str,
    parent: Unit | None,
    code: str,
    handling_type: HandlingUnitType | None,
    existing: Unit | None = None,
) -> None:
    allowed = ALLOWED_PARENT_KINDS[kind]
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        if parent is None:
            raise ValidationError(
                {
                    "parent": _("A unit of kind “%(kind)s” needs a parent unit.")
                    % {"kind": UnitKind(kind).label}
                }
            )
        raise ValidationError(
            {
                "parent": _("A unit of kind “%(kind)s” cannot be placed under a “%(parent_kind)s”.")
                % {"kind": UnitKind(kind).label, "parent_kind": UnitKind(parent.kind).label}
            }
        )
    if kind in DIVISION_KINDS:
        try:
            validate_division_code(code=code, kind=kind, parent_code=parent.code if parent else "")
        except ValidationError as exc:
            raise ValidationError({"code": exc.messages}) from exc
    if kind == UnitKind.HANDLING and handling_type is None:
        raise ValidationError(
            {"handling_type": _("A handling unit needs a handling-unit type (市政, 园林 …).")}
        )
    others = Unit.objects.exclude(pk=existing.pk) if existing else Unit.objects.all()
    if code and others.filter(code=code).exists():
        raise ValidationError({"code": _("Unit code %(code)s is already used.") % {"code": code}})
    if existing is not None and parent is not None and parent.path.startswith(existing.path):
        raise ValidationError({"parent": _("A unit cannot be moved under itself or below it.")})


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent else ""
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = unit.path.count("/") - 1


@transaction.atomic
def unit_create(
    *,
    name: str,
    kind: str,
    parent: Unit | None = None,
    code: str = "",
    handling_type: HandlingUnitType | None = None,
    is_external: bool = False,
    phone: str = "",
    sort_order: int = 0,
    actor: User | None = None,
) -> Unit:
    """Create a unit. Side effect: an ``org.unit.create`` record."""
    code = code.strip()
    unit_validate(kind=kind, parent=parent, code=code, handling_type=handling_type)
    unit = Unit(
        name=name.strip(),
        kind=kind,
        parent=parent,
        code=code,
        handling_type=handling_type,
        is_external=is_external,
        phone=phone.strip(),
        sort_order=sort_order,
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path", "depth"])
    record_append(
        action="org.unit.create",
        target=unit,
        actor=actor,
        changes=created(snapshot(unit, UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    unit: Unit,
    name: str,
    parent: Unit | None,
    code: str,
    handling_type: HandlingUnitType | None,
    is_external: bool,
    phone: str,
    sort_order: int,
    is_active: bool,
    actor: User | None = None,
) -> Unit:
    """Edit a unit; moving it to another parent re-paths its whole subtree.

    A unit cannot be moved under itself or one of its descendants. Side effect: an
    ``org.unit.update`` record of what changed.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, UNIT_FIELDS)
    code = code.strip()
    unit_validate(
        kind=unit.kind, parent=parent, code=code, handling_type=handling_type, existing=unit
    )
    old_path = unit.path
    unit.name = name.strip()
    unit.parent = parent
    unit.code = code
    unit.handling_type = handling_type
    unit.is_external = is_external
    unit.phone = phone.strip()
    unit.sort_order = sort_order
    unit.is_active = is_active
    _set_path(unit)
    unit.full_clean()
    unit.save()
    if unit.path != old_path:
        for descendant in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            descendant.path = unit.path + descendant.path[len(old_path) :]
            descendant.depth = descendant.path.count("/") - 1
            descendant.save(update_fields=["path", "depth"])
    changes = changes_between(before, snapshot(unit, UNIT_FIELDS))
    if changes:
        record_append(action="org.unit.update", target=unit, actor=actor, changes=changes)
    return unit


def posts_validate(
    *, posts: Iterable[Post], user: User | None = None, actor: User | None = None
) -> list[Post]:
    """Refuse post sets that merge two of the three administrator duties, or an
    administrator duty with a business post (三员分立), and any change of one's own posts
    (no self-promotion)."""
    posts = list(posts)
    admin_posts = [post for post in posts if post.code in ADMIN_POSTS]
    if len(admin_posts) > 1:
        raise ValidationError(
            {
                "posts": _(
                    "The system, security and audit administrators are separate duties "
                    "(三员分立): one account may hold only one of them, not %(posts)s."
                )
                % {"posts": "、".join(str(post) for post in admin_posts)}
            }
        )
    if user is not None and user.pk and actor is not None and actor.pk == user.pk:
        current = set(user.posts.values_list("pk", flat=True))
        if {post.pk for post in posts} != current:
            raise ValidationError(
                {"posts": _("You cannot change your own posts; ask a colleague.")}
            )
    if admin_posts and len(posts) > len(admin_posts):
        raise ValidationError(
            {
                "posts": _(
                    "An administrator holds no business post (三员分立): %(admin)s cannot "
                    "also be %(posts)s."
                )
                % {
                    "admin": admin_posts[0],
                    "posts": "、".join(str(p) for p in posts if p.code not in ADMIN_POSTS),
                }
            }
        )
    return posts


@transaction.atomic
def user_create(
    *,
    username: str,
    name: str,
    unit: Unit | None,
    posts: Iterable[Post] = (),
    password: str | None = None,
    one_time_password: bool = False,
    phone: str = "",
    rank: Rank | None = None,
    actor: User | None = None,
) -> User:
    """Create a staff account. A password given by someone other than its owner (the
    security administrator, the create-staff command) is ``one_time_password``: the
    owner replaces it at the first sign-in. Side effect: an ``org.user.create`` record
    (and the password's entry in the account's password history)."""
    posts = posts_validate(posts=posts)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("The login name %(u)s is taken.") % {"u": username}})
    user = User(username=username, name=name.strip(), unit=unit, phone=phone.strip(), rank=rank)
    if password:
        validate_password(password, user)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if password:
        password_set(
            user=user, password=password, actor=actor, one_time=one_time_password, record=False
        )
    user.posts.set(posts)
    changes = created(snapshot(user, STAFF_FIELDS))
    changes["posts"] = [None, sorted(post.code for post in posts)]
    changes["one_time_password"] = [None, bool(password) and one_time_password]
    record_append(
        action="org.user.create",
        target=user,
        actor=actor,
        changes=changes,
        personal=STAFF_PERSONAL,
    )
    return user


@transaction.atomic
def user_set_posts(*, user: User, posts: Iterable[Post], actor: User | None) -> User:
    """Give ``user`` exactly ``posts`` (see posts_validate for what is refused).

    Side effect: an ``org.user.posts`` record when they change.
    """
    posts = posts_validate(posts=posts, user=user, actor=actor)
    before = sorted(user.posts.values_list("code", flat=True))
    after = sorted(post.code for post in posts)
    if before != after:
        user.posts.set(posts)
        record_append(
            action="org.user.posts", target=user, actor=actor, changes={"posts": [before, after]}
        )
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    name: str,
    phone: str,
    unit: Unit | None,
    rank: Rank | None,
    is_active: bool,
    actor: User | None,
) -> User:
    """Edit an account's details. Nobody deactivates their own account.

    Side effect: an ``org.user.update`` record of what changed.
    """
    if actor is not None and actor.pk == user.pk and not is_active:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    before = snapshot(user, STAFF_FIELDS)
    user.name = name.strip()
    user.phone = phone.strip()
    user.unit = unit
    user.rank = rank
    user.is_active = is_active
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "phone", "unit", "rank", "is_active"])
    changes = changes_between(before, snapshot(user, STAFF_FIELDS))
    if changes:
        record_append(
            action="org.user.update",
            target=user,
            actor=actor,
            changes=changes,
            personal={k: v for k, v in STAFF_PERSONAL.items() if k in changes},
        )
    return user


def _certificate_save(
    certificate: Certificate,
    *,
    actor: User | None,
    number: str,
    issuing_authority: str,
    valid_from: datetime.date,
    valid_to: datetime.date,
    status: str,
    note: str,
    enforcement_category: str | None,
    enforcement_area: str | None,
) -> Certificate:
    if valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end of validity is before its start.")})
    adding = certificate.pk is None
    before = {} if adding else snapshot(certificate, CERTIFICATE_FIELDS)
    certificate.number = number.strip()
    certificate.issuing_authority = issuing_authority.strip()
    certificate.valid_from = valid_from
    certificate.valid_to = valid_to
    certificate.status = status
    certificate.note = note
    # None keeps what the certificate says (callers that do not edit them).
    if enforcement_category is not None:
        certificate.enforcement_category = enforcement_category.strip()
    if enforcement_area is not None:
        certificate.enforcement_area = enforcement_area.strip()
    certificate.full_clean()
    certificate.save()
    changes = changes_between(before, snapshot(certificate, CERTIFICATE_FIELDS))
    if changes:
        record_append(
            action="org.certificate.add" if adding else "org.certificate.update",
            target=certificate.holder,
            actor=actor,
            changes=changes,
        )
    return certificate


@transaction.atomic
def certificate_add(
    *,
    holder: User,
    number: str,
    issuing_authority: str,
    valid_from: datetime.date,
    valid_to: datetime.date,
    status: str,
    note: str = "",
    enforcement_category: str = "",
    enforcement_area: str = "",
    actor: User | None = None,
) -> Certificate:
    """Record a certificate; it gets its random identity-page key (``card_token``).
    Side effect: an ``org.certificate.add`` record on its holder."""
    return _certificate_save(
        Certificate(holder=holder),
        actor=actor,
        number=number,
        issuing_authority=issuing_authority,
        valid_from=valid_from,
        valid_to=valid_to,
        status=status,
        note=note,
        enforcement_category=enforcement_category,
        enforcement_area=enforcement_area,
    )


@transaction.atomic
def certificate_update(
    *,
    certificate: Certificate,
    number: str,
    issuing_authority: str,
    valid_from: datetime.date,
    valid_to: datetime.date,
    status: str,
    note: str = "",
    enforcement_category: str | None = None,
    enforcement_area: str | None = None,
    actor: User | None = None,
) -> Certificate:
    """Edit a certificate (``None`` keeps the 执法类别/区域 it has). A status other than
    valid takes the officer off the public list and shows on their identity page at
    once. Side effect: an ``org.certificate.update`` record."""
    return _certificate_save(
        certificate,
        actor=actor,
        number=number,
        issuing_authority=issuing_authority,
        valid_from=valid_from,
        valid_to=valid_to,
        status=status,
        note=note,
        enforcement_category=enforcement_category,
        enforcement_area=enforcement_area,
    )


@transaction.atomic
def certificate_delete(*, certificate: Certificate, actor: User | None = None) -> None:
    """Remove a wrongly entered certificate. Side effect: ``org.certificate.delete``."""
    record_append(
        action="org.certificate.delete",
        target=certificate.holder,
        actor=actor,
        changes={
            key: [value, None] for key, value in snapshot(certificate, CERTIFICATE_FIELDS).items()
        },
    )
    certificate.delete()


def enforcement_team_check(
    *, officers: Sequence[User], on: datetime.date, minimum: int = 2
) -> list[Certificate]:
    """Check the officers to be assigned to an enforcement action on ``on``.

    Every officer must hold a certificate valid on that date (行政处罚法 art 42: 执法人员
    不得少于两人 and must hold 执法证件; art 55: show it). Returns each officer's
    certificate, in order; raises EnforcementTeamError naming every officer refused.
    """
    problems: list[str] = []
    chosen: list[Certificate] = []
    distinct = {officer.pk for officer in officers}
    if len(distinct) < minimum:
        problems.append(
            _("At least %(n)d different officers are required (行政处罚法 art 42).")
            % {"n": minimum}
        )
    certificates = Certificate.objects.filter(holder__in=officers).order_by("-valid_to")
    by_holder: dict[int, list[Certificate]] = {}
    for certificate in certificates:
        by_holder.setdefault(certificate.holder_id, []).append(certificate)
    for officer in officers:
        held = by_holder.get(officer.pk, [])
        valid = [certificate for certificate in held if certificate.is_valid_on(on)]
        if valid:
            chosen.append(valid[0])
            continue
        problems.append(_certificate_problem(officer=officer, held=held, on=on))
    if problems:
        raise EnforcementTeamError(problems, code="enforcement_team")
    return chosen


def _certificate_problem(*, officer: User, held: list[Certificate], on: datetime.date) -> str:
    params = {"name": officer.name, "date": on.isoformat()}
    if not held:
        return _("%(name)s: holds no enforcement certificate.") % params
    latest = held[0]
    params["number"] = latest.number
    if latest.status != "valid":
        params["status"] = latest.get_status_display()
        return _("%(name)s: certificate %(number)s is %(status)s.") % params
    if latest.valid_to < on:
        params["end"] = latest.valid_to.isoformat()
        return _("%(name)s: certificate %(number)s expired on %(end)s.") % params
    params["start"] = min(c.valid_from for c in held).isoformat()
    return _("%(name)s: certificate %(number)s is not valid until %(start)s.") % params


def user_set_legal_qualification(
    *,
    user: User,
    qualification: str,
    since: datetime.date | None,
    actor: User | None,
) -> User:
    """Record a legal reviewer's qualification (行政处罚法 第五十八条第二款).

    Side effect: an ``org.user.update`` record of what changed.
    """
    fields = ["legal_qualification", "legal_review_since"]
    before = snapshot(user, fields)
    user.legal_qualification, user.legal_review_since = qualification.strip(), since
    user.save(update_fields=fields)
    changes = changes_between(before, snapshot(user, fields))
    if changes:
        record_append(action="org.user.update", target=user, actor=actor, changes=changes)
    return user


def unit_seal_validate(*, content: bytes, name: str) -> tuple[int, int]:
    """The seal image's (width, height) in pixels. Its content, not its name, must be a
    PNG that Pillow reads, of a sensible size (org.images.SEAL); ValidationError
    otherwise."""
    return image_validate(content=content, name=name, rule=SEAL)


@transaction.atomic
def unit_seal_set(
    *, unit: Unit, content: bytes, name: str, now: datetime.datetime, actor: User | None
) -> UnitSeal:
    """Set (or replace) the unit's electronic seal. Side effect: an ``org.unit.update``
    record naming the old and new image's SHA-256."""
    width, height = unit_seal_validate(content=content, name=name)
    digest = hashlib.sha256(content).hexdigest()
    seal = UnitSeal.objects.select_for_update().filter(unit=unit).first()
    before = seal.sha256 if seal else None
    if seal is None:
        seal = UnitSeal(unit=unit)
    seal.image, seal.sha256, seal.width, seal.height = content, digest, width, height
    seal.updated_at = now
    seal.save()
    if before != digest:
        record_append(
            action="org.unit.update", target=unit, actor=actor, changes={"seal": [before, digest]}
        )
    return seal


@transaction.atomic
def unit_seal_remove(*, unit: Unit, actor: User | None) -> None:
    """Remove the unit's electronic seal; documents print the seal line alone. Side
    effect: an ``org.unit.update`` record."""
    seal = UnitSeal.objects.select_for_update().filter(unit=unit).first()
    if seal is None:
        return
    before = seal.sha256
    seal.delete()
    record_append(
        action="org.unit.update", target=unit, actor=actor, changes={"seal": [before, None]}
    )


@transaction.atomic
def officer_photo_set(
    *, user: User, content: bytes, name: str, now: datetime.datetime, actor: User | None
) -> OfficerPhoto:
    """Set (or replace) an officer's photo: checked as org.images.OFFICER_PHOTO, kept as
    a small JPEG without metadata. Side effect: an ``org.user.update`` record naming the
    old and new image's SHA-256."""
    image_validate(content=content, name=name, rule=OFFICER_PHOTO)
    jpeg, width, height = photo_normalise(content)
    digest = hashlib.sha256(jpeg).hexdigest()
    photo = OfficerPhoto.objects.select_for_update().filter(user=user).first()
    before = photo.sha256 if photo else None
    if photo is None:
        photo = OfficerPhoto(user=user)
    photo.image, photo.sha256, photo.width, photo.height = jpeg, digest, width, height
    photo.updated_at = now
    photo.save()
    if before != digest:
        record_append(
            action="org.user.update", target=user, actor=actor, changes={"photo": [before, digest]}
        )
    return photo


@transaction.atomic
def officer_photo_remove(*, user: User, actor: User | None) -> None:
    """Remove an officer's photo; the identity page and the card show none. Side
    effect: an ``org.user.update`` record."""
    photo = OfficerPhoto.objects.select_for_update().filter(user=user).first()
    if photo is None:
        return
    before = photo.sha256
    photo.delete()
    record_append(
        action="org.user.update", target=user, actor=actor, changes={"photo": [before, None]}
    )
