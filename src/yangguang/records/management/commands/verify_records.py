import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.records.verify import chain_verify


class Command(BaseCommand):
    help = (
        "Walk the record chain: report the first entry altered, deleted or inserted, check "
        "the daily digests, and with --evidence re-hash every stored evidence file. Exits "
        "non-zero on any break."
    )

    def add_arguments(self, parser):
        parser.add_argument("--evidence", action="store_true", help="Also re-hash evidence files")

    def handle(self, *args, evidence: bool, **options):
        started = time.perf_counter()
        report = chain_verify(evidence=evidence)
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
