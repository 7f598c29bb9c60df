from django.core.management import call_command
from django.core.management.base import BaseCommand

from yangguang.core.production import ensure_safe_to_serve
from yangguang.core.server import run_gunicorn


class Command(BaseCommand):
    help = "Run the production server (gunicorn, static files through whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="0.0.0.0:8000")
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Static files were collected at deploy time",
        )
        parser.add_argument(
            "--control-socket",
            default="",
            metavar="PATH",
            help="Open gunicorn's control socket (for gunicornc) at PATH; off by default, "
            "so that several servers can run on one host",
        )

    def handle(
        self,
        *args,
        bind: str,
        workers: int,
        threads: int,
        no_collectstatic: bool,
        control_socket: str,
        **options,
    ):
        ensure_safe_to_serve()
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        run_gunicorn(bind=bind, workers=workers, threads=threads, control_socket=control_socket)
