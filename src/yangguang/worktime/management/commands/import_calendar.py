"""``yangguang import-calendar FILE.csv --source TEXT [--provisional]``: import a year's
holiday arrangement (columns ``date,kind,name``), all or nothing."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.worktime.calendar_file import CalendarImportError
from yangguang.worktime.services import calendar_import_csv


class Command(BaseCommand):
    help = "Import a working calendar from a CSV file with the columns date,kind,name."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV file: date,kind,name (UTF-8).")
        parser.add_argument(
            "--source",
            required=True,
            help="The notice the arrangement comes from, e.g. the State Council's, with its date.",
        )
        parser.add_argument(
            "--provisional",
            action="store_true",
            help="Mark the years as provisional (not yet the State Council's notice).",
        )

    def handle(self, *args, file: Path, source: str, provisional: bool, **options):
        try:
            if file.stat().st_size > settings.IMPORT_MAX_BYTES:
                raise CommandError(
                    _("%(file)s is larger than %(max)d bytes.")
                    % {"file": file, "max": settings.IMPORT_MAX_BYTES}
                )
            text = file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                _("%(file)s is not UTF-8 text; save it as CSV (UTF-8).") % {"file": file}
            ) from exc
        try:
            counts = calendar_import_csv(text=text, source=source, provisional=provisional)
        except CalendarImportError as exc:
            for line, reason in exc.errors:
                where = _("Line %(line)d:") % {"line": line} + " " if line else ""
                self.stderr.write(f"{where}{reason}")
            raise CommandError(
                _("%(file)s has %(count)d error(s); nothing was imported.")
                % {"file": file, "count": len(exc.errors)}
            ) from exc
        for year, count in counts.items():
            self.stdout.write(
                _("%(year)d: %(count)d special days imported.") % {"year": year, "count": count}
            )
