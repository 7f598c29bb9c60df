from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.records.anchor import AnchorError, anchor_dumps, anchor_latest
from yangguang.records.services import anchor_update


class Command(BaseCommand):
    help = (
        "Write the record chain's anchor — the latest closed day, its last entry, the entry "
        "count and the chain head, signed with YANGGUANG_ANCHOR_KEY (or a key derived from "
        "SECRET_KEY) — as JSON to standard output, or to FILE with --output. Keep it off "
        "the database server; verify-records --anchor FILE checks the chain against it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            metavar="FILE",
            help="Write to FILE (atomically; refused if FILE holds an anchor the chain lost)",
        )

    def handle(self, *args, output: Path | None, **options):
        if output is None:
            anchor = anchor_latest()
            if anchor is None:
                raise CommandError(_("No day has been closed yet: run close-digests first."))
            self.stdout.write(anchor_dumps(anchor=anchor), ending="")
            return
        try:
            anchor = anchor_update(path=output)
        except AnchorError as exc:
            raise CommandError(str(exc)) from exc
        if anchor:
            self.stdout.write(
                _("Anchor of %(day)s (entry %(n)d) written to %(path)s.")
                % {"day": anchor.day.isoformat(), "n": anchor.last_sequence, "path": output}
            )
        elif anchor_latest() is None:
            raise CommandError(_("No day has been closed yet: run close-digests first."))
        else:
            self.stdout.write(
                _("%(path)s already holds the anchor of the latest closed day.") % {"path": output}
            )
