import sys

from django.core.management.base import BaseCommand

from yangguang.records.digests import digests_csv


class Command(BaseCommand):
    help = (
        "Write the daily digests as CSV (day, last sequence, chain head) to standard "
        "output, for an auditor's printout or an external timestamping service."
    )

    def handle(self, *args, **options):
        for line in digests_csv():
            sys.stdout.write(line)
