"""Helpers for tests of the report loop: a report submitted at a known place, and the
worker's sending of queued messages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.grids.test_import import ORIGIN_LAT, ORIGIN_LON, STEP_LAT, STEP_LON
from tests.records.samples import image, jpeg_with_exif
from yangguang.notify.services import messages_send
from yangguang.org.enums import PostCode
from yangguang.reports.enums import Channel, DisposalMode, ReportKind
from yangguang.reports.services import NewReport, report_submit
from yangguang.reports.workflow import report_transition

# The middle of the first grid of the ``city`` fixture (community1, squadron1).
INSIDE = {"longitude": ORIGIN_LON + STEP_LON / 2, "latitude": ORIGIN_LAT + STEP_LAT / 2}


def submit(city, *, actor=None, **overrides):
    values = {
        "kind": ReportKind.PROBLEM,
        "channel": Channel.WEB,
        "description": "路灯不亮，晚上很黑",
        "category": city.lamp,
        "address": "东街道一社区门口",
        "reporter_name": "王小明",
        "reporter_phone": "13912345678",
        **INSIDE,
        **overrides,
    }
    photos = values.pop("photos", ())
    report, token = report_submit(data=NewReport(**values), actor=actor, photos=photos)
    return report, token


def deliver() -> int:
    """What the worker does: send the queued text messages."""
    return messages_send()


def photo(name: str = "after.jpg", *, size: int = 16, exif: bool = False) -> SimpleUploadedFile:
    """A small JPEG as a phone uploads it; ``size`` makes distinct pictures, ``exif``
    carries GPS and camera (samples.photo_exif)."""
    content = jpeg_with_exif() if exif else image("JPEG", size=size)
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def in_progress(city, **overrides):
    """A report registered, dispatched to 市政处 and taken on by its handler."""
    report, _token = submit(city, **overrides)
    go(report, "accept", PostCode.INTAKE, city)
    go(report, "dispatch", PostCode.DISPATCHER, city, unit=city.org.municipal)
    return go(report, "claim", PostCode.HANDLER, city)


def handled(city, **overrides):
    """A report handled, with its after-photo."""
    report = in_progress(city, **overrides)
    return go(
        report,
        "handle",
        PostCode.HANDLER,
        city,
        result="已更换灯具",
        disposal_mode=DisposalMode.SERVICE,
        photos=[photo()],
    )


def go(report, verb, who, city, **data):
    """One move of the loop by the persona holding post ``who``."""
    return report_transition(report=report, verb=verb, actor=city.people[who], **data)
