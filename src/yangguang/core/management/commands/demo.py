import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from yangguang.core.demo import DEMO_PASSWORD, demo_city_load, demo_logins
from yangguang.core.server import run_gunicorn


def _pad(text: str, width: int) -> str:
    """Left-justify in terminal columns: Chinese characters take two."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(1, width - used)


class Command(BaseCommand):
    help = "Prepare the demo city on SQLite in the data directory and serve it on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Prepare, then exit")
        parser.add_argument("--reset", action="store_true", help="Start from an empty database")

    def handle(self, *args, port: int, no_serve: bool, reset: bool, **options):
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError(
                _("The demo runs on SQLite. Unset DATABASE_URL (it points to %(engine)s).")
                % {"engine": database["ENGINE"]}
            )
        if not 1 <= port <= 65535:
            raise CommandError(_("The port must be between 1 and 65535."))
        if reset:
            self._reset(database["NAME"])
        self.stdout.write(_("Preparing the database in %(dir)s …") % {"dir": settings.DATA_DIR})
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        created = demo_city_load()
        self.stdout.write(_("Demo city created.") if created else _("Demo city already present."))
        url = f"http://127.0.0.1:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Yangguang demo: %(url)s") % {"url": url}))
        self.stdout.write(
            _("Logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for login in demo_logins():
            mark = " *" if login.second_factor else ""
            self.stdout.write(
                f"  {_pad(str(login.post.label), 26)}{login.username:<16}{login.name}{mark}"
            )
        self.stdout.write(
            _(
                "* signs in with a second factor: the first sign-in shows a QR code to scan "
                "with an authenticator app (any TOTP app), then asks for the app's six-digit "
                "code at every sign-in."
            )
        )
        self.stdout.write("")
        if no_serve:
            return
        # Replies reach citizens, and deadlines turn yellow and red, through the worker.
        worker = subprocess.Popen(
            [sys.executable, "-m", "yangguang.cli", "worker", "--interval", "5", "--with-parent"]
        )
        try:
            run_gunicorn(bind=f"127.0.0.1:{port}", workers=2, threads=4)
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    def _reset(self, database_name: str) -> None:
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database_name}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        evidence = settings.STORAGES["evidence"]
        if evidence["BACKEND"].endswith("FileSystemStorage"):
            shutil.rmtree(evidence["OPTIONS"]["location"], ignore_errors=True)
