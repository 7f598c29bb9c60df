import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.credit.models import CreditScheme
from yangguang.credit.scoring import BATCH, scores_recompute


class Command(BaseCommand):
    help = (
        "Recompute every merchant's credit score under the active scheme, in batches "
        "(after the year turns, or to check the kept scores). Running it again is harmless."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            type=int,
            default=BATCH,
            help="Merchants per transaction (default %(default)s).",
        )

    def handle(self, *args, **options):
        if options["batch"] < 1:
            raise CommandError(_("The batch must be at least 1."))
        started = time.monotonic()
        try:
            done = scores_recompute(batch=options["batch"])
        except CreditScheme.DoesNotExist as exc:
            raise CommandError(_("No credit scheme is active.")) from exc
        self.stdout.write(
            _("%(n)d score(s) recomputed in %(seconds).1f s.")
            % {"n": done, "seconds": time.monotonic() - started}
        )
