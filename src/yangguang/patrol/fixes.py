"""Reading the GPS fixes a phone posts: pure checks, no database.

A fix is a JSON object ``{"lon": 116.6, "lat": 35.4, "accuracy": 12, "at": …}`` where
``at`` is the browser's ``position.timestamp`` (milliseconds since 1970) or an ISO 8601
time with its offset. Anything else — NaN, infinities, booleans, strings with NUL
bytes, times without an offset — is refused with a code and a message, never an
exception.
"""

import datetime
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

# How far a phone's clock may run ahead of the server's (or behind a shift's start).
CLOCK_SKEW = datetime.timedelta(minutes=2)
# Beyond this a fix says nothing about where someone patrols.
MAX_ACCURACY_M = 5000.0
_EPOCH_MS_MAX = 253402300799000  # 9999-12-31


class PatrolError(Exception):
    """A refused duty or position request: ``code`` for the API, ``message`` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Fix:
    at: datetime.datetime
    lon: float
    lat: float
    accuracy_m: float


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _moment(value: object) -> datetime.datetime | None:
    number = _number(value)
    if number is not None:
        if not 0 <= number <= _EPOCH_MS_MAX:
            return None
        return datetime.datetime.fromtimestamp(number / 1000, tz=datetime.UTC)
    if not isinstance(value, str) or len(value) > 40 or "\x00" in value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def fix_read(raw: object) -> Fix:
    """One fix from its JSON form, or PatrolError."""
    if not isinstance(raw, dict):
        raise PatrolError("not_a_fix", _("A position must be an object with lon, lat and at."))
    lon, lat = _number(raw.get("lon")), _number(raw.get("lat"))
    if lon is None or lat is None or not (-180 <= lon <= 180) or not (-90 <= lat <= 90):
        raise PatrolError(
            "bad_coordinates",
            _("Longitude must be a number from -180 to 180 and latitude from -90 to 90."),
        )
    accuracy = _number(raw.get("accuracy", 0))
    if accuracy is None or accuracy < 0:
        raise PatrolError("bad_accuracy", _("Accuracy must be a number of metres, 0 or more."))
    if accuracy > MAX_ACCURACY_M:
        raise PatrolError(
            "too_imprecise",
            _("The position is too imprecise (more than %(metres)d m).")
            % {"metres": MAX_ACCURACY_M},
        )
    at = _moment(raw.get("at"))
    if at is None:
        raise PatrolError(
            "bad_time",
            _("The time of a position must be milliseconds since 1970 or an ISO time with offset."),
        )
    return Fix(at=at, lon=lon, lat=lat, accuracy_m=accuracy)


def phone_clock_offset(sent_at: object, *, now: datetime.datetime) -> datetime.timedelta:
    """How far the phone's clock is behind the server's: ``now`` minus the phone's own
    time when it sent the batch (``sent_at``, as a fix's ``at``). A phone whose clock is
    wrong still places its fixes right; without a readable ``sent_at``, no correction."""
    moment = _moment(sent_at)
    return now - moment if moment is not None else datetime.timedelta(0)


def fix_shifted(fix: Fix, offset: datetime.timedelta) -> Fix:
    return Fix(at=fix.at + offset, lon=fix.lon, lat=fix.lat, accuracy_m=fix.accuracy_m)


def fix_in_shift(fix: Fix, *, started_at: datetime.datetime, now: datetime.datetime) -> Fix:
    """``fix`` with its time checked against the shift and the server's clock: a little
    clock skew is forgiven (the time is moved to the bound), more is refused."""
    if fix.at > now + CLOCK_SKEW:
        raise PatrolError("in_the_future", _("The position's time is in the future."))
    if fix.at < started_at - CLOCK_SKEW:
        raise PatrolError("before_duty", _("The position is older than the start of duty."))
    at = min(max(fix.at, started_at), now)
    return Fix(at=at, lon=fix.lon, lat=fix.lat, accuracy_m=fix.accuracy_m)


def fixes_spaced(
    fixes: list[Fix], *, last: datetime.datetime | None, interval: datetime.timedelta
) -> tuple[list[Fix], int]:
    """The fixes at least ``interval`` after the previous one kept (and ``last``, the
    shift's latest stored fix), in time order; and how many were dropped."""
    kept: list[Fix] = []
    for fix in sorted(fixes, key=lambda f: f.at):
        previous = kept[-1].at if kept else last
        if previous is None or fix.at - previous >= interval:
            kept.append(fix)
    return kept, len(fixes) - len(kept)
