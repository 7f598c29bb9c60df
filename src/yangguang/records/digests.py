"""The daily digests as CSV: the file an auditor prints, or sends to an external
timestamping service, to compare with the system later."""

from collections.abc import Iterator

from yangguang.records.models import DailyDigest

HEADER = "day,last_sequence,head_sha256\r\n"


def digests_csv() -> Iterator[str]:
    yield HEADER
    for day, last_sequence, head in (
        DailyDigest.objects.order_by("day")
        .values_list("day", "last_sequence", "head_hash")
        .iterator()
    ):
        yield f"{day.isoformat()},{last_sequence},{head}\r\n"
