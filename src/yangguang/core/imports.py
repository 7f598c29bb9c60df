"""Reading an import file for the ``import-*`` commands: one set of checks and messages."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def read_import_file(path: Path) -> str:
    """The file's text, or CommandError when it is missing, too large or not UTF-8.

    A byte-order mark (Excel's "CSV UTF-8") is dropped.
    """
    try:
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(
                _("%(file)s is larger than %(max)d bytes.")
                % {"file": path, "max": settings.IMPORT_MAX_BYTES}
            )
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CommandError(
            _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc.strerror}
        ) from exc
    except UnicodeDecodeError as exc:
        raise CommandError(
            _("%(file)s is not UTF-8 text; save it as CSV (UTF-8).") % {"file": path}
        ) from exc
