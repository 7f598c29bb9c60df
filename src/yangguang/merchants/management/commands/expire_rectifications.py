from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yangguang.merchants.inspections import rectifications_expire


class Command(BaseCommand):
    help = (
        "Mark every 整改 request still open after its deadline overdue (each one recorded "
        "and counted against the merchant's credit). The worker does this continuously; "
        "running it again is harmless."
    )

    def handle(self, *args, **options):
        done = rectifications_expire()
        self.stdout.write(_("%(n)d 整改 request(s) now overdue.") % {"n": done})
