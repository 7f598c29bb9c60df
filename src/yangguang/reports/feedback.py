"""Every complainant answered (每个投诉有反馈): the reply to the reporters, the check that
it reached them before a report may close, and the texts of the messages."""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from yangguang.core.sequences import public_url
from yangguang.notify.models import Message, MessageStatus
from yangguang.notify.services import message_enqueue
from yangguang.org.models import User
from yangguang.reports.models import Report, Reporter

REPLY = "reply"
RECEIPT = "receipt"


def tracking_lookup_url() -> str:
    return public_url("/track/")


def receipt_text(report: Report, *, link: str) -> str:
    return _(
        "%(signature)sWe have received your report, number %(number)s. Follow it at %(link)s"
    ) % {"signature": settings.SMS_SIGNATURE, "number": report.tracking_number, "link": link}


def reply_text(report: Report, text: str) -> str:
    head = _("%(signature)sAbout your report %(number)s: ") % {
        "signature": settings.SMS_SIGNATURE,
        "number": report.tracking_number,
    }
    tail = _(" Details and rating: %(url)s") % {"url": tracking_lookup_url()}
    room = 500 - len(head) - len(tail)
    body = text if len(text) <= room else text[: room - 1] + "…"
    return head + body + tail


def send_receipt(report: Report, reporter: Reporter, *, link: str) -> None:
    """Text the reporter the tracking number and the secret tracking link. The link's
    last segment is the tracking token (kept only hashed on the report): the outbox
    stores it masked and clears the full text once sent (等保2.0 GB/T 22239-2019 8.1.4.8)."""
    if reporter.phone:
        message_enqueue(
            phone=reporter.phone,
            body=receipt_text(report, link=link),
            purpose=RECEIPT,
            report=report,
            reporter=reporter,
            secrets=[link.rstrip("/").rsplit("/", 1)[-1]],
        )


def reply_to_reporters(
    report: Report, *, text: str, actor: User | None, now: datetime.datetime
) -> None:
    """Set the public reply and text it to every reporter with a phone number (the
    others read it on their tracking page). The caller saves the report."""
    report.public_reply = text.strip()
    report.replied_at = now
    for reporter in report.reporters.all():
        if reporter.phone:
            message_enqueue(
                phone=reporter.phone,
                body=reply_text(report, report.public_reply),
                purpose=REPLY,
                report=report,
                reporter=reporter,
            )


def reply_delivery_problem(report: Report) -> str:
    """Why the report may not close yet for want of a reply ("" when it may): there is
    no reply, or its text message to a reporter is not sent (still queued, or failed)."""
    if not report.public_reply:
        return _("Reply to the reporter before closing (每个投诉有反馈).")
    latest: dict[int, Message] = {}
    for message in Message.objects.filter(report=report, purpose=REPLY).order_by("created_at"):
        latest[message.reporter_id] = message
    for reporter in report.reporters.all():
        if not reporter.phone:
            continue  # reads the reply on the tracking page
        message = latest.get(reporter.pk)
        if message is None:
            return _("The reply was not sent to %(phone)s; reply again.") % {
                "phone": _masked(reporter.phone)
            }
        if message.status == MessageStatus.PENDING:
            return _("The reply to %(phone)s is still waiting to be sent; try again shortly.") % {
                "phone": _masked(reporter.phone)
            }
        if message.status == MessageStatus.FAILED:
            return _(
                "The reply to %(phone)s could not be delivered (%(error)s); call the reporter "
                "back or correct the number, then reply again."
            ) % {"phone": _masked(reporter.phone), "error": message.last_error or "—"}
    return ""


def _masked(phone: str) -> str:
    from yangguang.core.privacy import mask_phone

    return mask_phone(phone)
