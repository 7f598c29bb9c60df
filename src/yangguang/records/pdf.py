"""The printable record of one object: every entry with its hashes, and the evidence
list — the core of the later electronic case file (电子卷宗).

Chinese text uses the embedded font of ``core.printing``.
"""

import datetime
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from yangguang.core.printing import (
    FONT,
    GRID,
    HASH,
    HEADING,
    SHADE,
    SMALL,
    TEXT,
    TITLE,
    para,
    printable,
)
from yangguang.records.models import EvidenceLink, RecordEntry
from yangguang.records.presenters import EntryView
from yangguang.records.registry import Target


def _p(text: object, style: ParagraphStyle = TEXT) -> Paragraph:
    return para(text, style)


def entry_table(view: EntryView, width: float) -> Table:
    entry: RecordEntry = view.entry
    time = view.local_time.strftime("%Y-%m-%d %H:%M:%S")
    rows = [
        [_p(f"#{entry.sequence}  {view.action}"), _p(f"{time}  {view.actor}"), ""],
    ]
    for change in view.changes:
        rows.append([_p(change.field, SMALL), _p(change.before, SMALL), _p(change.after, SMALL)])
    if entry.reason:
        rows.append([_p(_("Reason"), SMALL), _p(entry.reason, SMALL), ""])
    if entry.evidence:
        rows.append([_p(_("Evidence"), SMALL), _p(" ".join(entry.evidence), HASH), ""])
    origin = " ".join(filter(None, [entry.client_ip, entry.client_device[:80]]))
    if origin:
        rows.append([_p(_("From"), SMALL), _p(origin, SMALL), ""])
    rows.append([_p(_("Hash"), SMALL), _p(entry.entry_hash, HASH), ""])
    rows.append([_p(_("Previous hash"), SMALL), _p(entry.prev_hash, HASH), ""])
    table = Table(rows, colWidths=[width * 0.22, width * 0.39, width * 0.39])
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("SPAN", (1, 0), (2, 0)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    # Rows after the changes span the two value columns.
    first_single = 1 + len(view.changes)
    style += [("SPAN", (1, row), (2, row)) for row in range(first_single, len(rows))]
    table.setStyle(TableStyle(style))
    return table


def evidence_table(links: Sequence[EvidenceLink], width: float) -> Table:
    rows = [[_p(_("File"), SMALL), _p(_("Kind"), SMALL), _p("SHA-256", SMALL)]]
    for link in links:
        evidence = link.evidence
        rows.append(
            [
                _p(evidence.original_name or "—", SMALL),
                _p(evidence.get_kind_display(), SMALL),
                _p(evidence.sha256, HASH),
            ]
        )
    table = Table(rows, colWidths=[width * 0.35, width * 0.12, width * 0.53], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def record_pdf(
    *,
    title: str,
    object_label: str,
    target: Target,
    entries: Sequence[EntryView],
    evidence: Sequence[EvidenceLink],
    printed_by: str,
    printed_at: datetime.datetime,
) -> bytes:
    buffer = io.BytesIO()
    footer = printable(
        _("Yangguang · whole-process record · printed %(when)s by %(who)s")
        % {"when": printed_at.strftime("%Y-%m-%d %H:%M"), "who": printed_by}
    )

    def decorate(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawString(document.leftMargin, 10 * mm, footer)
        canvas.drawRightString(
            A4[0] - document.rightMargin,
            10 * mm,
            _("Page %(page)d") % {"page": document.page},
        )
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=printed_by,
    )
    width = document.width
    head = entries[-1].entry.entry_hash if entries else "—"
    story = [
        _p(title, TITLE),
        _p(
            _("%(label)s: %(object)s") % {"label": object_label, "object": target.object_repr}
            + f" ({target.object_type} #{target.object_id})"
        ),
        _p(
            _(
                "%(n)d entries. The last entry's hash is %(head)s. Check the whole chain with "
                "“yangguang verify-records”."
            )
            % {"n": len(entries), "head": head},
            SMALL,
        ),
        Spacer(1, 4 * mm),
    ]
    if evidence:
        story += [_p(_("Evidence"), HEADING), evidence_table(evidence, width), Spacer(1, 4 * mm)]
    story.append(_p(_("Entries"), HEADING))
    for view in entries:
        story += [entry_table(view, width), Spacer(1, 2.5 * mm)]
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
