from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yangguang.cases.catalogue import catalogue_xlsx
from yangguang.cases.selectors import violations_current


class Command(BaseCommand):
    help = (
        "Write the current violation catalogue as an .xlsx workbook in the layout "
        "import-violations reads, to edit and import again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        violations = violations_current().order_by("code")
        file.write_bytes(catalogue_xlsx(violations))
        self.stdout.write(
            _("%(n)d items written to %(file)s.") % {"n": violations.count(), "file": file}
        )
