"""The publication of decisions (事后公开), the one writer of ``Publication.status``.

- A decided case is proposed for publication when the local rules say so (every
  ordinary-procedure penalty decision by default); a decision against a minor is refused
  at once (never published online). The proposal opens the publication deadline
  (7 working days for 行政处罚 under 国办发〔2018〕118号, 20 for other decisions under
  政府信息公开条例 第二十六条), watched and shown with the case's other deadlines.
- The legal office reads the generated, redacted content, may correct it (checked again
  for personal data), and approves it — or refuses it with the ground and the reason
  (国家秘密, 商业秘密, 个人隐私, minors, non-public cases).
- A decision set aside (changed, revoked, confirmed unlawful or void) must be withdrawn
  within three days, with the reason published (行政处罚法 第四十八条第二款); a
  proposal not yet published is refused instead.
- At the end of its period (years by party kind, local rule) a published item leaves the
  portal (``publications_remove_expired``, run by the worker and ``expire-publications``).

Every step is recorded in the chain in its own transaction.
"""

import datetime
import hashlib
import json
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.cases.deadlines import deadline_open, deadlines_cancel, deadlines_meet
from yangguang.cases.documents import KIND_WORDS, bureau_name
from yangguang.cases.enums import DeadlineKind, Outcome, Procedure
from yangguang.cases.models import Case
from yangguang.core.saving import field_values, save_changed
from yangguang.disclosure.enums import PublicationStatus, RefusalGround, WithdrawalGround
from yangguang.disclosure.models import DisclosureRules, Publication
from yangguang.disclosure.redaction import (
    party_is_minor,
    public_party,
    redact,
    validate_public_text,
)
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.records.services import record_append
from yangguang.worktime.calendar import add_working_days
from yangguang.worktime.selectors import work_calendar

S = PublicationStatus
PUBLICATION_ARTICLE = "国办发〔2018〕118号；政府信息公开条例第二十六条"
WITHDRAWAL_ARTICLE = "行政处罚法第四十八条第二款"
EDITABLE = ("title", "facts", "basis", "result")


class PublicationRefused(Exception):  # noqa: N818 - "refused" is the domain's word
    """The step is not possible; the message says why (shown as is)."""

    def __init__(self, reason: str, code: str = "refused") -> None:
        super().__init__(reason)
        self.reason, self.code = reason, code


def disclosure_rules() -> DisclosureRules:
    return DisclosureRules.objects.get_or_create(pk=1)[0]


# --- proposing ------------------------------------------------------------------------


def proposal_wanted(case: Case, rules: DisclosureRules) -> bool:
    """Whether the local rules propose this decision for publication."""
    if case.outcome == Outcome.NO_PENALTY:
        return rules.propose_no_penalty
    if case.procedure == Procedure.SIMPLE:
        return rules.propose_simple
    return rules.propose_ordinary


def _area(case: Case) -> str:
    """The sub-district of the report's grid, else the case's own unit."""
    grid = case.report.grid if case.report_id and case.report.grid_id else None
    if grid is not None and grid.community.parent is not None:
        return grid.community.parent.name
    return case.unit.name


def _content(case: Case, rules: DisclosureRules) -> dict:
    """The public content of the decision, redacted (行政处罚法 第四十八条; 118号: 文号、
    案由、依据、结果; the provincial rules: no address, contact, identity number)."""
    decision = case.documents.filter(
        kind__in=["decision", "spot_decision", "no_penalty_decision"]
    ).first()
    violations = [row.violation for row in case.violations.select_related("violation")] or (
        [case.violation] if case.violation else []
    )
    basis = "；".join(
        filter(None, [v.basis for v in violations] + [v.penalty_basis for v in violations])
    )
    words = [KIND_WORDS.get(kind, kind) for kind in case.penalty_kinds]
    result = "、".join(f"罚款{case.fine:,.2f}元" if word == "罚款" else word for word in words) or (
        "不予行政处罚" if case.outcome == Outcome.NO_PENALTY else "—"
    )
    party, is_organisation, credit_code = public_party(case, rules)
    return {
        "document_number": decision.number if decision else case.number,
        "title": redact(case.title, case)[:200],
        "facts": redact(case.facts or case.title, case),
        "basis": basis or "—",
        "result": result,
        "penalty_kinds": list(case.penalty_kinds),
        "fine": case.fine,
        "confiscation_value": case.confiscation_value,
        "party": party[:100],
        "party_is_organisation": is_organisation,
        "party_credit_code": credit_code,
        "authority": bureau_name()[:100],
        "category": (violations[0].domain or violations[0].name)[:50] if violations else "",
        "area": _area(case)[:100],
        "decided_on": timezone.localdate(case.decided_at),
    }


def publication_propose(*, case: Case, now: datetime.datetime) -> Publication | None:
    """Called when a case is decided (core.events CASE_DECIDED), in its transaction."""
    rules = disclosure_rules()
    if not proposal_wanted(case, rules) or hasattr(case, "publication"):
        return None
    publication = Publication(
        case=case,
        proposed_at=now,
        verify_token=secrets.token_urlsafe(18),
        **_content(case, rules),
    )
    if party_is_minor(case):
        publication.status = S.REFUSED
        publication.refusal_ground = RefusalGround.MINOR
        publication.refusal_reason = _("The party was a minor when the act began.")
        publication.refused_at = now
        publication.save()
        record_append(
            action="disclosure.refuse",
            target=publication,
            actor=None,
            changes={"status": [None, S.REFUSED], "ground": RefusalGround.MINOR},
            reason=publication.refusal_reason,
        )
        return publication
    days = (
        rules.penalty_working_days if case.outcome == Outcome.PENALTY else rules.other_working_days
    )
    publication.due_at = add_working_days(case.decided_at, days, calendar=work_calendar())
    publication.save()
    deadline_open(
        case=case,
        kind=DeadlineKind.PUBLICATION,
        article=PUBLICATION_ARTICLE,
        started_at=now,
        due_at=publication.due_at,
    )
    record_append(
        action="disclosure.propose",
        target=publication,
        actor=None,
        changes={"status": [None, S.PROPOSED], "due_at": publication.due_at.isoformat()},
    )
    return publication


# --- the legal office's steps ----------------------------------------------------------


def _locked(publication_id: int, actor: User) -> Publication:
    if not allowed(actor, Action.DISCLOSURE_PUBLISH):
        raise PublicationRefused(
            _("Your posts do not allow publishing decisions."), "not_permitted"
        )
    try:
        return Publication.objects.select_for_update().select_related("case").get(pk=publication_id)
    except Publication.DoesNotExist:
        raise PublicationRefused(_("There is no such publication."), "not_found") from None


def _expect(publication: Publication, *statuses: str) -> None:
    if publication.status not in statuses:
        raise PublicationRefused(
            _("Not possible while the publication is “%(status)s”.")
            % {"status": publication.get_status_display()},
            "wrong_status",
        )


def publication_edit(*, publication_id: int, actor: User, **fields: str) -> Publication:
    """Correct the public text before approval; refused if it names a person the case
    knows, or holds a phone or identity number."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        publication = _locked(publication_id, actor)
        _expect(publication, S.PROPOSED)
        values = field_values(publication)
        errors = {}
        for name, given in fields.items():
            text = " ".join(str(given).split()) if name == "title" else str(given).strip()
            if not text:
                errors[name] = [_("This text cannot be empty.")]
                continue
            try:
                validate_public_text(text, publication.case)
            except ValidationError as error:
                errors[name] = error.messages
            setattr(publication, name, text)
        if errors:
            raise ValidationError(errors)
        changed = save_changed(publication, values)
        if changed:
            record_append(
                action="disclosure.edit",
                target=publication,
                actor=actor,
                changes={name: getattr(publication, name) for name in changed},
            )
    return publication


def content_digest(publication: Publication) -> str:
    """SHA-256 of the published content (canonical JSON), shown on the public page and
    confirmed by the check page."""
    canonical = json.dumps(
        {
            "document_number": publication.document_number,
            "title": publication.title,
            "facts": publication.facts,
            "basis": publication.basis,
            "result": publication.result,
            "party": publication.party,
            "party_credit_code": publication.party_credit_code,
            "authority": publication.authority,
            "decided_on": publication.decided_on.isoformat(),
            "fine": str(Decimal(publication.fine).quantize(Decimal("0.01"))),
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _years_later(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def publication_approve(
    *, publication_id: int, actor: User, now: datetime.datetime | None = None
) -> Publication:
    """Publish: the content is frozen and hashed, the period starts, the deadline is met."""
    now = now or timezone.now()
    with transaction.atomic():
        publication = _locked(publication_id, actor)
        _expect(publication, S.PROPOSED)
        for name in EDITABLE:
            try:
                validate_public_text(getattr(publication, name), publication.case)
            except ValidationError as error:
                raise PublicationRefused(" ".join(error.messages), "personal_data") from None
        rules = disclosure_rules()
        years = (
            rules.years_organisation
            if publication.party_is_organisation
            else rules.years_individual
        )
        publication.status = S.PUBLISHED
        publication.published_at, publication.published_by = now, actor
        publication.publish_until = _years_later(now, years)
        publication.content_sha256 = content_digest(publication)
        publication.save(
            update_fields=[
                "status",
                "published_at",
                "published_by",
                "publish_until",
                "content_sha256",
            ]
        )
        deadlines_meet(case=publication.case, kinds=[DeadlineKind.PUBLICATION], now=now)
        record_append(
            action="disclosure.publish",
            target=publication,
            actor=actor,
            changes={
                "status": [S.PROPOSED, S.PUBLISHED],
                "sha256": publication.content_sha256,
                "publish_until": publication.publish_until.isoformat(),
            },
        )
    return publication


def publication_refuse(
    *,
    publication_id: int,
    actor: User,
    ground: str,
    reason: str,
    now: datetime.datetime | None = None,
) -> Publication:
    """Not published, for a ground the rules name, with the reason recorded."""
    now = now or timezone.now()
    reason = reason.strip()
    if ground not in RefusalGround.values or ground == RefusalGround.SET_ASIDE:
        raise PublicationRefused(_("Choose why the decision is not published."), "invalid")
    if not reason or "\x00" in reason:
        raise PublicationRefused(_("Give the reason; it is recorded."), "reason_required")
    with transaction.atomic():
        publication = _locked(publication_id, actor)
        _expect(publication, S.PROPOSED)
        _refuse(publication, ground=ground, reason=reason[:2000], now=now, actor=actor)
    return publication


def _refuse(
    publication: Publication, *, ground: str, reason: str, now: datetime.datetime, actor
) -> None:
    publication.status = S.REFUSED
    publication.refusal_ground, publication.refusal_reason = ground, reason
    publication.refused_at = now
    publication.save(update_fields=["status", "refusal_ground", "refusal_reason", "refused_at"])
    deadlines_meet(case=publication.case, kinds=[DeadlineKind.PUBLICATION], now=now)
    record_append(
        action="disclosure.refuse",
        target=publication,
        actor=actor,
        changes={"status": [S.PROPOSED, S.REFUSED], "ground": ground},
        reason=reason,
    )


# --- withdrawal and removal ------------------------------------------------------------


def publication_set_aside(
    *, case: Case, ground: str, set_aside_on: datetime.date, now: datetime.datetime
) -> Publication | None:
    """Called when the decision is set aside (core.events CASE_DECISION_SET_ASIDE): a
    published decision must be withdrawn within three (working) days of the change,
    with the reason (行政处罚法 第四十八条第二款, 第八十五条); a proposal is refused."""
    publication = Publication.objects.select_for_update().filter(case=case).first()
    if publication is None:
        return None
    if publication.status == S.PROPOSED:
        _refuse(
            publication,
            ground=RefusalGround.SET_ASIDE,
            reason=str(WithdrawalGround(ground).label),
            now=now,
            actor=None,
        )
        return publication
    if publication.status != S.PUBLISHED or publication.withdrawal_ground:
        return publication
    rules = disclosure_rules()
    start = datetime.datetime.combine(
        set_aside_on, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    publication.withdrawal_ground, publication.set_aside_on = ground, set_aside_on
    publication.withdrawal_due_at = add_working_days(
        start, rules.withdrawal_working_days, calendar=work_calendar()
    )
    publication.save(update_fields=["withdrawal_ground", "set_aside_on", "withdrawal_due_at"])
    deadline_open(
        case=case,
        kind=DeadlineKind.WITHDRAWAL,
        article=WITHDRAWAL_ARTICLE,
        started_at=now,
        due_at=publication.withdrawal_due_at,
    )
    record_append(
        action="disclosure.withdrawal_due",
        target=publication,
        actor=None,
        changes={
            "ground": ground,
            "set_aside_on": set_aside_on.isoformat(),
            "withdrawal_due_at": publication.withdrawal_due_at.isoformat(),
        },
    )
    return publication


def publication_withdraw(
    *,
    publication_id: int,
    actor: User,
    reason: str,
    ground: str = "",
    now: datetime.datetime | None = None,
) -> Publication:
    """Withdraw a published decision and publish why (第四十八条第二款). The ground is the
    set-aside result already recorded, or given here."""
    now = now or timezone.now()
    reason = " ".join(reason.split())
    with transaction.atomic():
        publication = _locked(publication_id, actor)
        _expect(publication, S.PUBLISHED)
        ground = publication.withdrawal_ground or ground
        if ground not in WithdrawalGround.values:
            raise PublicationRefused(
                _("Say how the decision was set aside (changed, revoked, unlawful, void)."),
                "invalid",
            )
        if not reason:
            raise PublicationRefused(_("Give the reason; it is published."), "reason_required")
        try:
            validate_public_text(reason, publication.case)
        except ValidationError as error:
            raise PublicationRefused(" ".join(error.messages), "personal_data") from None
        publication.status = S.WITHDRAWN
        publication.withdrawal_ground = ground
        publication.withdrawal_reason = reason[:2000]
        publication.withdrawn_at = now
        publication.save(
            update_fields=["status", "withdrawal_ground", "withdrawal_reason", "withdrawn_at"]
        )
        deadlines_meet(case=publication.case, kinds=[DeadlineKind.WITHDRAWAL], now=now)
        record_append(
            action="disclosure.withdraw",
            target=publication,
            actor=actor,
            changes={"status": [S.PUBLISHED, S.WITHDRAWN], "ground": ground},
            reason=publication.withdrawal_reason,
        )
    return publication


def publications_remove_expired(*, now: datetime.datetime | None = None) -> int:
    """Take off the portal what has been published for its whole period. Idempotent."""
    now = now or timezone.now()
    removed = 0
    due = Publication.objects.filter(
        status__in=[S.PUBLISHED, S.WITHDRAWN], publish_until__lte=now
    ).values_list("pk", flat=True)
    for publication_id in list(due):
        with transaction.atomic():
            publication = Publication.objects.select_for_update().get(pk=publication_id)
            if publication.status not in (S.PUBLISHED, S.WITHDRAWN):
                continue
            before = publication.status
            publication.status, publication.removed_at = S.REMOVED, now
            publication.save(update_fields=["status", "removed_at"])
            deadlines_cancel(case=publication.case, kinds=[DeadlineKind.WITHDRAWAL])
            record_append(
                action="disclosure.remove",
                target=publication,
                actor=None,
                changes={"status": [before, S.REMOVED]},
                reason=_("The publication period ended."),
            )
            removed += 1
    return removed
