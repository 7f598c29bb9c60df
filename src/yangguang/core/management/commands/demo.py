import os
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yangguang.core.demo import DEMO_PASSWORD, DEMO_STEPS, Progress, demo_city_load, demo_logins
from yangguang.core.server import run_gunicorn

# Where the demo keeps the path of the demo party's page: its token is shown only when
# the link is issued (the database keeps a hash), and every start prints the link.
PARTY_PATH_FILE = "demo-party-link.txt"
PREPARING_STEPS = 2  # migrate, collectstatic


def _pad(text: str, width: int) -> str:
    """Left-justify in terminal columns: Chinese characters take two."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(1, width - used)


class _Steps(Progress):
    """Prints ``[3/8] 网格 … 261 个（4.2 秒）`` as each step starts and ends: counts only,
    never a person's data."""

    def __init__(self, stdout: OutputWrapper, total: int) -> None:
        self.stdout, self.total, self.number, self.started = stdout, total, 0, 0.0

    def start(self, label: str) -> None:
        self.number += 1
        self.started = time.monotonic()
        self.stdout.write(f"[{self.number}/{self.total}] {label} …", ending="")
        self.stdout.flush()

    def done(self, summary: str) -> None:
        seconds = time.monotonic() - self.started
        self.stdout.write(
            " " + _("%(summary)s (%(seconds).1f s)") % {"summary": summary, "seconds": seconds}
        )


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
        # Links texted and printed (tracking pages, the party's page, document checks)
        # name the address the demo is served at, unless the deployer set one.
        configured = "YANGGUANG_PUBLIC_BASE_URL" in os.environ
        public = settings.PUBLIC_BASE_URL if configured else f"http://127.0.0.1:{port}"
        previous, settings.PUBLIC_BASE_URL = settings.PUBLIC_BASE_URL, public
        try:
            self._run(port=port, public=public, no_serve=no_serve, reset=reset)
        finally:
            settings.PUBLIC_BASE_URL = previous

    def _run(self, *, port: int, public: str, no_serve: bool, reset: bool) -> None:
        if reset:
            self._reset(settings.DATABASES["default"]["NAME"])
        self.stdout.write(_("Preparing the database in %(dir)s …") % {"dir": settings.DATA_DIR})
        steps = _Steps(self.stdout, PREPARING_STEPS + DEMO_STEPS)
        steps.start(_("Database tables"))
        recorder = MigrationRecorder(connections["default"])
        before = len(recorder.applied_migrations())
        call_command("migrate", interactive=False, verbosity=0)
        applied = len(recorder.applied_migrations()) - before
        steps.done(
            ngettext("%(count)d migration applied", "%(count)d migrations applied", applied)
            % {"count": applied}
            if applied
            else _("up to date")
        )
        steps.start(_("Static files"))
        call_command("collectstatic", interactive=False, verbosity=0)
        steps.done(_("collected"))
        loaded = demo_city_load(progress=steps)
        self.stdout.write(
            _("Demo city created.") if loaded.created else _("Demo city already present.")
        )
        party_file = Path(settings.DATA_DIR) / PARTY_PATH_FILE
        if loaded.party_path:
            party_file.write_text(loaded.party_path, encoding="utf-8")
        url = f"http://127.0.0.1:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Yangguang demo: %(url)s") % {"url": url}))
        self._print_logins()
        if party_file.exists():
            self.stdout.write(
                _(
                    "The party's page of a notified case (statement and defence, hearing "
                    "request), to open on a phone: %(link)s — press “send code”: the demo "
                    "shows the party's text message, with the code, in this window."
                )
                % {"link": public.rstrip("/") + party_file.read_text(encoding="utf-8").strip()}
            )
        self.stdout.write("")
        if no_serve:
            return
        # Replies reach citizens, and deadlines turn yellow and red, through the worker.
        # It texts through the demo's gateway (YANGGUANG_DEMO_SMS, see cli.py).
        worker = subprocess.Popen(
            [sys.executable, "-m", "yangguang.cli", "worker", "--interval", "5", "--with-parent"],
            env={**os.environ, "YANGGUANG_PUBLIC_BASE_URL": public, "YANGGUANG_DEMO_SMS": "1"},
        )
        try:
            run_gunicorn(bind=f"127.0.0.1:{port}", workers=2, threads=4)
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    def _print_logins(self) -> None:
        self.stdout.write(
            _("Logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for login in demo_logins():
            mark = " *" if login.second_factor else ""
            self.stdout.write(
                f"  {_pad(str(login.post.label), 26)}{login.username:<16}"
                f"{_pad(login.name + mark, 12)}{login.unit}"
            )
        self.stdout.write(
            _(
                "* signs in with a second factor: the first sign-in shows a QR code to scan "
                "with an authenticator app (any TOTP app), then asks for the app's six-digit "
                "code at every sign-in."
            )
        )

    def _reset(self, database_name: str) -> None:
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database_name}{suffix}").unlink(missing_ok=True)
        (Path(settings.DATA_DIR) / PARTY_PATH_FILE).unlink(missing_ok=True)
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        evidence = settings.STORAGES["evidence"]
        if evidence["BACKEND"].endswith("FileSystemStorage"):
            shutil.rmtree(evidence["OPTIONS"]["location"], ignore_errors=True)
