import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.records.verify import chain_verify


class Command(BaseCommand):
    help = (
        "Walk the record chain: report the first entry altered, deleted or inserted, check "
        "the daily digests, that the chain is not empty while accounts, reports or cases "
        "exist, and that it still holds its anchor (--anchor FILE, by default "
        "YANGGUANG_ANCHOR_FILE); with --evidence re-hash every stored evidence file. Exits "
        "non-zero on any break."
    )

    def add_arguments(self, parser):
        parser.add_argument("--evidence", action="store_true", help="Also re-hash evidence files")
        parser.add_argument(
            "--anchor",
            type=Path,
            metavar="FILE",
            help="An anchor written by export-anchor (e.g. the copy kept off this server); "
            "by default YANGGUANG_ANCHOR_FILE",
        )

    def handle(self, *args, evidence: bool, anchor: Path | None, **options):
        started = time.perf_counter()
        report = chain_verify(
            evidence=evidence,
            anchor_file=anchor or settings.RECORD_ANCHOR_FILE,
            # The configured file appears when the first day is closed; a file named on
            # the command line must exist.
            anchor_must_exist=anchor is not None,
        )
        seconds = time.perf_counter() - started
        for problem in report.problems:
            self.stderr.write(problem.message)
        if not report.ok:
            raise CommandError(
                _("The record chain is broken (%(n)d problem(s) above).")
                % {"n": len(report.problems)}
            )
        self.stdout.write(
            _(
                "Chain intact: %(entries)d entries, %(digests)d daily digests, %(files)d evidence "
                "files checked in %(seconds).1f s. Head: %(head)s"
            )
            % {
                "entries": report.entries,
                "digests": report.digests,
                "files": report.evidence_files,
                "seconds": seconds,
                "head": report.head,
            }
        )
        if report.anchor:
            self.stdout.write(
                _("It holds its anchor %(source)s: %(day)s, entry %(n)d, head %(head)s.")
                % {
                    "source": report.anchor_source,
                    "day": report.anchor.day.isoformat(),
                    "n": report.anchor.last_sequence,
                    "head": report.anchor.head_hash,
                }
            )
        elif report.anchor_source:
            self.stdout.write(
                _("No anchor at %(source)s yet: it is written when the first day is closed.")
                % {"source": report.anchor_source}
            )
        else:
            self.stdout.write(
                _(
                    "No anchor checked: set YANGGUANG_ANCHOR_FILE or pass --anchor FILE, or a "
                    "chain cut short with its digests goes unnoticed."
                )
            )
