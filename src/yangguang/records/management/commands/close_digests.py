from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yangguang.records.services import digests_close


class Command(BaseCommand):
    help = (
        "Store the chain head of every finished day not yet closed. Run it daily after "
        "midnight from the system scheduler (cron or a systemd timer); running it more "
        "often is harmless."
    )

    def handle(self, *args, **options):
        closed = digests_close()
        for digest in closed:
            self.stdout.write(
                f"{digest.day.isoformat()}  #{digest.last_sequence}  {digest.head_hash}"
            )
        self.stdout.write(_("%(n)d day(s) closed.") % {"n": len(closed)})
