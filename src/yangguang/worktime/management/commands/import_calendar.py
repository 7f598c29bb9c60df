"""``yangguang import-calendar FILE.csv --source TEXT [--provisional]``: import a year's
holiday arrangement (columns ``date,kind,name``), all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.core.imports import read_import_file
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
        text = read_import_file(file)
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
