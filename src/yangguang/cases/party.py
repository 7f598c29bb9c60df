"""Party access (非接触式执法): the party of a case follows it from a secret link sent by
text message, confirmed each time by a one-time code sent to the same phone. There they
read the documents served on them, state and defend their case with attachments,
request a hearing, consent to electronic service and see how to pay — each recorded in
the chain, through the same steps and guards as the officers' (procedure.py).
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.cases.context import ProcedureRefused
from yangguang.cases.models import Case, CaseDocument, PartyAccess
from yangguang.cases.procedure import case_transition
from yangguang.core.onetime import (
    CODE_ATTEMPTS,  # noqa: F401 - re-exported for the party's pages and tests
    LOCK_AFTER,
    CodeRefused,
    code_check,
    code_send,
    refuse_if_locked,
)
from yangguang.core.sequences import public_url
from yangguang.notify.services import message_enqueue
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.records.services import record_append

# Wrong codes a link may take in all before it is locked until the bureau sends a new one.
LINK_ATTEMPTS = LOCK_AFTER
SESSION_LIFETIME = datetime.timedelta(minutes=30)
# Documents the party receives (送达 to them), shown on their page.
SERVED_KINDS = (
    "rectification_notice",
    "preservation_notice",
    "prior_notice",
    "hearing_rights_notice",
    "hearing_notice",
    "decision",
    "no_penalty_decision",
    "spot_decision",
    "reminder",
    "payment_plan_decision",
)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def party_link(token: str) -> str:
    return public_url(reverse("portal:party", args=[token]))


def party_access_issue(*, case_id: int, actor: User) -> PartyAccess:
    """Send the party a new link (earlier links stop working). Needs the party's mobile."""
    from yangguang.cases.selectors import get_case_for_user

    if not allowed(actor, Action.CASE_INVESTIGATE):
        raise ProcedureRefused(_("Your posts do not allow this."), "not_permitted")
    with transaction.atomic():
        case = get_case_for_user(user=actor, case_id=case_id, for_update=True)
        if not case.party_phone.startswith("1") or len(case.party_phone) != 11:
            raise ProcedureRefused(
                _("The party has no mobile number to send the link to."), "invalid"
            )
        PartyAccess.objects.filter(case=case, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token = secrets.token_urlsafe(24)
        access = PartyAccess.objects.create(
            case=case, token_hash=_digest(token), phone=case.party_phone, created_by=actor
        )
        message_enqueue(
            phone=case.party_phone,
            body=_(
                "Case %(number)s of the city-management bureau: read the documents served on "
                "you, state your case or ask for a hearing at %(link)s"
            )
            % {"number": case.number, "link": party_link(token)},
            purpose="party_link",
            secrets=[token],  # the outbox keeps it masked (等保2.0 8.1.4.8)
        )
        record_append(
            action="case.party_link",
            target=case,
            actor=actor,
            changes={"phone": [None, case.party_phone]},
            personal={"phone": "phone"},
        )
    access.token = token  # shown once, to the caller (tests, the API)
    return access


def access_for_token(token: str) -> PartyAccess | None:
    return (
        PartyAccess.objects.filter(token_hash=_digest(token), revoked_at__isnull=True)
        .select_related("case")
        .first()
    )


LOCKED_MESSAGE = gettext_lazy(
    "This link is locked after too many wrong codes. Ask the bureau to send you a new link."
)


def _refused(error: CodeRefused) -> ProcedureRefused:
    return ProcedureRefused(error.message, error.code)


def _refuse_if_locked(access: PartyAccess) -> None:
    try:
        refuse_if_locked(access, str(LOCKED_MESSAGE))
    except CodeRefused as error:
        raise _refused(error) from None


def party_code_send(*, access: PartyAccess, now: datetime.datetime | None = None) -> None:
    """Send a one-time code to the party's phone (once a minute at most)."""
    number = access.case.number
    try:
        code_send(
            row=access,
            text=lambda code: (
                _("Your code for case %(number)s is %(code)s. It is valid for 10 minutes.")
                % {"number": number, "code": code}
            ),
            purpose="party_code",
            locked_message=str(LOCKED_MESSAGE),
            now=now,
        )
    except CodeRefused as error:
        raise _refused(error) from None


def _record_lock(access: PartyAccess) -> None:
    record_append(
        action="case.party_link_locked",
        target=access.case,
        actor=None,
        changes={"failed_attempts": [None, access.failed_attempts]},
        reason=_("Too many wrong codes on the party's link"),
    )


def party_code_check(
    *, access: PartyAccess, code: str, now: datetime.datetime | None = None
) -> bool:
    """True when ``code`` is the last code sent, unexpired, within the attempts. The
    link's ``LINK_ATTEMPTS``-th wrong code locks it (recorded); a locked link refuses."""
    try:
        return code_check(
            row=access,
            code=code,
            locked_message=str(LOCKED_MESSAGE),
            on_lock=_record_lock,
            now=now,
        )
    except CodeRefused as error:
        raise _refused(error) from None


def served_documents(case: Case) -> list[CaseDocument]:
    return list(case.documents.filter(kind__in=SERVED_KINDS).order_by("issued_at"))


def party_statement_submit(
    *, access: PartyAccess, text: str, attachments=(), now: datetime.datetime | None = None
) -> Case:
    """The party's statement and defence (第四十五条), while the notice allows it: the
    procedure's own step, taken by the party, with the attachments as evidence."""
    from yangguang.cases.moves import MOVES
    from yangguang.records.evidence import evidence_add
    from yangguang.records.registry import target_for

    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=access.case_id)
        if case.status not in MOVES["record_statement"].sources:
            # Refused before any file is stored.
            raise ProcedureRefused(
                _("Statements are taken between the prior notice and the decision."),
                "wrong_status",
            )
        hashes = [
            evidence_add(
                upload=upload, name=upload.name, target=target_for(case), actor=None
            ).sha256
            for upload in attachments
        ]
        return case_transition(
            case_id=case.pk,
            verb="record_statement",
            party=access,
            now=now,
            evidence=hashes,
            text=text,
        )


def party_hearing_request(*, access: PartyAccess, now: datetime.datetime | None = None) -> Case:
    """The party asks for a hearing (第六十四条), within 5 working days of the notice:
    the procedure's own step, taken by the party."""
    return case_transition(case_id=access.case_id, verb="request_hearing", party=access, now=now)


def party_consent_electronic(*, access: PartyAccess) -> Case:
    """The party consents to electronic service (第六十一条第二款)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=access.case_id)
        if not case.electronic_consent:
            case.electronic_consent = True
            case.save(update_fields=["electronic_consent", "updated_at"])
            record_append(
                action="case.electronic_consent",
                target=case,
                actor=None,
                changes={"electronic_consent": [False, True]},
                reason=_("Given by the party through their link"),
            )
    return case
