from django.core.management.base import BaseCommand

from yangguang.org.matrix import matrix_markdown


class Command(BaseCommand):
    help = "Print the post × action matrix as a Markdown table (for the README)."

    def handle(self, *args, **options):
        self.stdout.write(matrix_markdown(), ending="")
