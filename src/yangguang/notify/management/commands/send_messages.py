from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yangguang.notify.services import messages_send


class Command(BaseCommand):
    help = "Send the text messages that are due (one round; the worker does this continuously)."

    def handle(self, *args, **options):
        self.stdout.write(_("%(n)d message(s) attempted.") % {"n": messages_send()})
