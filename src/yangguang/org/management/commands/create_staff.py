from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.org import services
from yangguang.org.enums import PostCode
from yangguang.org.management.prompt import password_input
from yangguang.org.models import Post, Unit


class Command(BaseCommand):
    help = (
        "Create a staff account with one or more posts. Used to bootstrap a new "
        "installation with its security and system administrators."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="Full name")
        parser.add_argument(
            "--post", action="append", required=True, choices=PostCode.values, dest="posts"
        )
        parser.add_argument("--unit", default="", help="Code or exact name of the unit")
        parser.add_argument(
            "--password-env",
            default="",
            help="Read the password from this environment variable instead of prompting",
        )

    def handle(self, *args, username, name, posts, unit, password_env, **options):
        unit_obj = None
        if unit:
            unit_obj = (
                Unit.objects.filter(code=unit).first() or Unit.objects.filter(name=unit).first()
            )
            if unit_obj is None:
                raise CommandError(_("Unknown unit “%(unit)s”.") % {"unit": unit})
        password = password_input(password_env)
        try:
            user = services.user_create(
                username=username,
                name=name,
                unit=unit_obj,
                posts=list(Post.objects.filter(code__in=posts)),
                password=password,
                # Typed by whoever runs the command: the owner replaces it at the first
                # sign-in (and an administrator then enrols the authenticator).
                one_time_password=True,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            _("Created %(user)s; the password must be changed at the first sign-in.")
            % {"user": user.username}
        )
