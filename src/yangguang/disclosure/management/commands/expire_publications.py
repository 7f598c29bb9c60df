from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yangguang.disclosure.services import publications_remove_expired


class Command(BaseCommand):
    help = (
        "Take off the portal the published decisions whose publication period has ended "
        "(the worker does this every round; for cron instead of the worker)."
    )

    def handle(self, *args, **options):
        removed = publications_remove_expired()
        self.stdout.write(_("%(n)d published decisions removed.") % {"n": removed})
