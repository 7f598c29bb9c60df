"""The demo holds a full ordinary case with a hearing, run end to end; its case-file PDF
renders Chinese text — checked by text extraction and by rendering a page to PNG."""

import datetime
import io

import pypdfium2
import pytest
from pypdf import PdfReader

from yangguang.cases.enums import Status
from yangguang.cases.models import Case
from yangguang.cases.render import case_file_pdf
from yangguang.core.demo import demo_city_load
from yangguang.core.demo_cases import HEARING_CASE_TITLE

pytestmark = pytest.mark.django_db


def test_demo_case_with_hearing_runs_end_to_end_and_its_case_file_renders(tmp_path, time_machine):
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    time_machine.move_to(datetime.datetime(2026, 11, 22, 10, tzinfo=shanghai), tick=False)
    demo_city_load()
    case = Case.objects.get(title=HEARING_CASE_TITLE)
    assert case.status == Status.ARCHIVED
    assert case.heard_at is not None
    assert case.hearing_presider.username == "juzhang"
    assert case.documents.filter(kind="hearing_record").exists()

    pdf = case_file_pdf(case)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    for words in ("行政处罚案卷", "卷内目录", "听证笔录", "行政处罚决定书", "刘德明", "老街坊餐馆"):
        assert words in text

    decision = case.documents.get(kind="decision")
    page_number = next(
        index
        for index, page in enumerate(reader.pages)
        if decision.number in page.extract_text() and "经查" in page.extract_text()
    )
    image = pypdfium2.PdfDocument(pdf)[page_number].render(scale=100 / 72).to_pil()
    png = tmp_path / "decision.png"
    image.save(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    gray = image.convert("L")
    width, height = gray.size
    title = gray.crop(
        (int(0.25 * width), int(0.08 * height), int(0.75 * width), int(0.15 * height))
    )
    histogram = title.histogram()
    assert sum(histogram[:128]) / sum(histogram) > 0.02  # the title's glyphs are drawn
