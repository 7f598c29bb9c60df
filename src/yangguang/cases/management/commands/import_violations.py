from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.cases.catalogue import (
    CatalogueError,
    catalogue_save,
    items_from_json,
    items_from_xlsx,
)


class Command(BaseCommand):
    help = (
        "Import the violation catalogue (违法行为库) from an .xlsx workbook with the sheets "
        "违法行为 and 裁量阶次, or, without a file, load the starter catalogue. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?")

    def handle(self, *args, file: Path | None, **options):
        try:
            if file is None:
                items, source = items_from_json(), "starter"
            else:
                with file.open("rb") as upload:
                    items, source = items_from_xlsx(upload), file.name
        except CatalogueError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("Import refused: %(n)d problem(s) above. Nothing was written.")
                % {"n": len(exc.problems)}
            ) from exc
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        counts = catalogue_save(items=items, actor=None, source=source)
        self.stdout.write(
            _("Violation catalogue: %(added)d added, %(changed)d changed, %(unchanged)d unchanged.")
            % counts
        )
