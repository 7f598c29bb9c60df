from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yangguang.reports.services import deadlines_check


class Command(BaseCommand):
    help = "Turn report time-limit lights yellow at 80 % and red when overdue (one round)."

    def handle(self, *args, **options):
        counts = deadlines_check()
        self.stdout.write(
            _("%(warning)d yellow, %(overdue)d red.")
            % {"warning": counts["warning"], "overdue": counts["overdue"]}
        )
