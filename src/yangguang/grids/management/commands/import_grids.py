import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yangguang.core.imports import read_import_file
from yangguang.grids.services import GridImportError, grids_import


class Command(BaseCommand):
    help = "Import unit grids from a GeoJSON FeatureCollection, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="GeoJSON FeatureCollection (lon/lat)")

    def handle(self, *args, file: Path, **options):
        text = read_import_file(file)
        try:
            collection = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                _("The file is not valid JSON: line %(line)d, column %(col)d: %(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ) from exc
        try:
            result = grids_import(collection=collection)
        except GridImportError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Import refused: %(n)d problem(s) above. Nothing was written.")
                % {"n": len(exc.problems)}
            ) from exc
        self.stdout.write(
            _("Imported %(total)d grids: %(created)d new, %(updated)d updated.")
            % {
                "total": result.created + result.updated,
                "created": result.created,
                "updated": result.updated,
            }
        )
