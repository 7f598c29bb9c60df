"""The ``yangguang`` console script: any Django management command, plus ``demo`` and
``serve``. Hyphenated names are accepted for our commands (``import-grids``)."""

import os
import secrets
import sys
from pathlib import Path


def _demo_secret_key() -> str:
    """A random key kept in the data directory, so a demo's sessions survive restarts.

    Read before Django loads the settings, which is why this cannot live in an app.
    """
    data_dir = Path(os.environ.get("YANGGUANG_DATA_DIR", "var")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


def _use_demo_sms() -> None:
    """The demo's worker texts through the demo gateway (core.demo.DemoSmsGateway),
    unless a real SMS platform is configured. Only ``yangguang demo`` sets the variable
    for the worker it starts; settings accept no such gateway from the environment."""
    from django.conf import settings

    if settings.SMS_GATEWAY == "logging":
        settings.SMS_GATEWAY = "yangguang.core.demo.DemoSmsGateway"


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if args and args[0] == "demo":
        # The demo runs over plain HTTP on 127.0.0.1, so cookies must not be HTTPS-only.
        # This must be decided before settings are read.
        os.environ.setdefault("YANGGUANG_HTTPS", "0")
        os.environ.setdefault("SECRET_KEY", _demo_secret_key())

    if os.environ.get("YANGGUANG_DEMO_SMS") == "1":
        _use_demo_sms()

    from django.core.management import execute_from_command_line

    from yangguang.records.context import Client, client_context

    # Records written by a command name it as their "device".
    with client_context(Client(device=f"yangguang {args[0] if args else ''}".strip())):
        execute_from_command_line(["yangguang", *args])


if __name__ == "__main__":
    main()
