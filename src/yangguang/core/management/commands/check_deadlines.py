from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yangguang.cases.deadlines import case_deadlines_check
from yangguang.reports.services import deadlines_check


class Command(BaseCommand):
    help = (
        "One round of every deadline the worker watches, for cron instead of the worker: "
        "report lights yellow at 80 % and red when overdue, and the procedure deadlines of "
        "cases warned a working day before and reported once passed."
    )

    def handle(self, *args, **options):
        lights = deadlines_check()
        cases = case_deadlines_check()
        self.stdout.write(
            _(
                "Reports: %(warning)d yellow, %(overdue)d red. Cases: %(warned)d deadlines "
                "warned, %(late)d overdue."
            )
            % {
                "warning": lights["warning"],
                "overdue": lights["overdue"],
                "warned": cases["warned"],
                "late": cases["overdue"],
            }
        )
