"""``createsuperuser`` is refused: a superuser would hold every right at once, which the
separation of the three administrators (三员分立) forbids. Use ``create-staff``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Refused: use create-staff (三员分立 allows no superuser)."

    def handle(self, *args, **options):
        raise CommandError(
            _(
                "There are no superusers (三员分立): create the administrators with "
                "“yangguang create-staff USER --name NAME --post security_admin” (or "
                "system_admin, audit_admin)."
            )
        )
