from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.categories.services import CategoryImportError, categories_import_csv
from yangguang.core.imports import read_import_file


class Command(BaseCommand):
    help = "Import a category code set (national edition or local extension) from CSV."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", default="", help="Title of a new code set")
        parser.add_argument("--local", action="store_true", help="A local extension list")

    def handle(self, *args, file: Path, title: str, local: bool, **options):
        text = read_import_file(file)
        try:
            counts = categories_import_csv(text=text, title=title, local=local)
        except CategoryImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Import refused: %(n)d problem(s) above. Nothing was written.")
                % {"n": len(exc.problems)}
            ) from exc
        for standard, count in counts.items():
            self.stdout.write(
                _("%(standard)s: %(count)d categories imported.")
                % {"standard": standard, "count": count}
            )
