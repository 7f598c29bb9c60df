"""``yangguang changepassword USER``: Django's command, through the password policy.

Whoever runs it on the server sets another person's password, so it is a one-time
password, which the owner replaces at the next sign-in (org/passwords.py); the change
is recorded. Where an SMS platform is configured, prefer the reset of 系统配置, which
sends the owner a one-time password that nobody else sees.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.org.management.prompt import password_input
from yangguang.org.models import User
from yangguang.org.passwords import password_set


class Command(BaseCommand):
    help = "Set a one-time password for a staff account (the owner changes it at sign-in)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--password-env",
            default="",
            help="Read the password from this environment variable instead of prompting",
        )

    def handle(self, *args, username, password_env, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No account with the login name %(u)s.") % {"u": username})
        password = password_input(password_env)
        try:
            password_set(user=user, password=password, actor=None, one_time=True)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            _("Password of %(user)s set; they must change it at the next sign-in.")
            % {"user": user.username}
        )
