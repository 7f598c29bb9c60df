from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.records.anchor import AnchorError
from yangguang.records.services import anchor_update, digests_close


class Command(BaseCommand):
    help = (
        "Store the chain head of every finished day not yet closed and, when "
        "YANGGUANG_ANCHOR_FILE is set, write the latest one there as the signed anchor. "
        "Run it daily after midnight from the system scheduler (cron or a systemd timer); "
        "running it more often is harmless."
    )

    def handle(self, *args, **options):
        closed = digests_close()
        for digest in closed:
            self.stdout.write(
                f"{digest.day.isoformat()}  #{digest.last_sequence}  {digest.head_hash}"
            )
        self.stdout.write(_("%(n)d day(s) closed.") % {"n": len(closed)})
        path = settings.RECORD_ANCHOR_FILE
        if path is None:
            return
        try:
            anchor = anchor_update(path=path)
        except AnchorError as exc:
            raise CommandError(str(exc)) from exc
        if anchor:
            self.stdout.write(
                _("Anchor of %(day)s (entry %(n)d) written to %(path)s.")
                % {"day": anchor.day.isoformat(), "n": anchor.last_sequence, "path": path}
            )
