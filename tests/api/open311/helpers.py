"""Checking Open311 documents: JSON against our schemas of the GeoReport v2 text, XML
parsed; and reports brought to the states the public sees."""

import datetime
import json
import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from jsonschema import Draft202012Validator, FormatChecker

from tests.reports.helpers import deliver, photo, submit
from yangguang.org.enums import PostCode
from yangguang.reports.enums import DisposalMode
from yangguang.reports.services import report_reply
from yangguang.reports.workflow import report_transition

SCHEMAS = Path(__file__).resolve().parent / "schemas"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
# The W3C profile of ISO 8601 the spec asks for, time zone required.
W3C_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")

# jsonschema checks "date-time" and "uri" only with optional packages; these are ours.
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _w3c_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(W3C_DATETIME.match(value)) and bool(datetime.datetime.fromisoformat(value).tzinfo)


@FORMATS.checks("uri")
def _absolute_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def assert_valid(data: object, schema_name: str) -> None:
    schema = json.loads((SCHEMAS / f"{schema_name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema, format_checker=FORMATS).validate(data)


def json_document(response, schema_name: str) -> object:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content.decode("utf-8"))
    assert_valid(data, schema_name)
    return data


def xml_document(response, root: str) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(XML_DECLARATION)
    element = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
    assert element.tag == root
    return element


def as_list(items: object) -> list:
    """xmltodict gives a dict, not a list, for a single element."""
    return items if isinstance(items, list) else [items]


def go(city, report, verb: str, who: PostCode, **data):
    return report_transition(report=report, verb=verb, actor=city.people[who], **data)


def close(city, report, *, reply: str):
    """The whole loop: registered, dispatched to 市政处, handled, verified, answered,
    closed."""
    report = go(city, report, "accept", PostCode.INTAKE)
    report = go(city, report, "dispatch", PostCode.DISPATCHER, unit=city.org.municipal)
    report = go(city, report, "claim", PostCode.HANDLER)
    report = go(
        city,
        report,
        "handle",
        PostCode.HANDLER,
        result="已更换灯具",
        disposal_mode=DisposalMode.SERVICE,
        photos=[photo()],
    )
    report = go(city, report, "verify_pass", PostCode.INSPECTOR)
    report_reply(report=report, text=reply, actor=city.people[PostCode.SHIFT_LEAD])
    deliver()
    return go(city, report, "close", PostCode.SHIFT_LEAD)


def registered(city, *, public_summary: str = "", **overrides):
    """A report intake has registered (with ``public_summary``, or the default one): the
    state in which lists show it."""
    report, _token = submit(city, **overrides)
    return go(city, report, "accept", PostCode.INTAKE, public_summary=public_summary)
