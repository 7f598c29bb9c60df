"""The ``yangguang`` console script: any Django management command, plus ``demo`` and
``serve``. Hyphenated names are accepted for our commands (``import-grids``)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangguang.settings")
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if args and args[0] == "demo":
        # The demo runs over plain HTTP on 127.0.0.1, so cookies must not be HTTPS-only.
        # This must be decided before settings are read.
        os.environ.setdefault("YANGGUANG_HTTPS", "0")
        from yangguang.core.production import demo_secret_key

        os.environ.setdefault("SECRET_KEY", demo_secret_key())

    from django.core.management import execute_from_command_line

    execute_from_command_line(["yangguang", *args])


if __name__ == "__main__":
    main()
