"""A report form's starting values from a link: a shop's public page ("report a problem
here") or an overdue 整改 ("file it as a patrol finding"). What does not fit is left
out, never refused: whoever files it sees the form and corrects it."""

import re
from collections.abc import Mapping

from yangguang.reports.models import DESCRIPTION_MAX

# A position in a pre-filled link: ASCII digits only (float() would take ３５).
COORDINATE = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,12})?", re.ASCII)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def report_prefill(query: Mapping[str, str]) -> dict:
    """Initial values from ``lon``, ``lat``, ``address`` and ``description``."""
    initial: dict = {}
    lon, lat = query.get("lon", ""), query.get("lat", "")
    valid = COORDINATE.fullmatch(lon) and COORDINATE.fullmatch(lat)
    if valid and -180 <= float(lon) <= 180 and -90 <= float(lat) <= 90:
        initial.update(longitude=float(lon), latitude=float(lat))
    for name, limit in (("address", 255), ("description", DESCRIPTION_MAX)):
        text = CONTROL.sub("", query.get(name, "")).strip()[:limit]
        if text:
            initial[name] = text
    return initial
