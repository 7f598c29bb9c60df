"""What the account commands ask at the terminal."""

import getpass
import os

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def password_input(password_env: str) -> str:
    """The password from the environment variable named, or typed twice at a prompt."""
    if password_env:
        password = os.environ.get(password_env, "")
        if not password:
            raise CommandError(
                _("The environment variable %(var)s is empty.") % {"var": password_env}
            )
        return password
    password = getpass.getpass(_("Password:") + " ")
    if password != getpass.getpass(_("Password (again):") + " "):
        raise CommandError(_("The passwords differ."))
    return password
