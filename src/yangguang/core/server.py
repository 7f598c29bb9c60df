"""Gunicorn, started in-process by ``yangguang serve`` and ``yangguang demo``."""

from django.db import connections
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from yangguang.wsgi import application

        return application


def run_gunicorn(
    *,
    bind: str,
    workers: int,
    threads: int,
    access_log: bool = True,
    control_socket: str = "",
) -> None:
    """Serve until stopped. Gunicorn 25.1+ opens a control socket for ``gunicornc`` at
    one fixed path per user ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl): a second
    server on the host takes it over, and stopping either removes it for both. It is off
    unless ``control_socket`` names a path of this server's own."""
    # Connections opened while preparing (migrate, collectstatic) must not be shared
    # with the forked workers.
    connections.close_all()
    control = (
        {"control_socket": control_socket} if control_socket else {"control_socket_disable": True}
    )
    _Gunicorn(
        {
            **control,
            "bind": bind,
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": "-" if access_log else None,
            "graceful_timeout": 20,
            "timeout": 60,
            "forwarded_allow_ips": "127.0.0.1",
        }
    ).run()
