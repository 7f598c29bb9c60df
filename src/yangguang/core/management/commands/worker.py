"""The background worker: sends queued text messages, watches report and case deadlines and
closes the record's daily digests. Run one (or more) under the system's service
manager, e.g. a systemd unit with ``ExecStart=… yangguang worker``."""

import logging
import os
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from yangguang.cases.deadlines import case_deadlines_check
from yangguang.notify.services import messages_send
from yangguang.records.services import digests_close
from yangguang.reports.services import deadlines_check

logger = logging.getLogger("yangguang.worker")


class Command(BaseCommand):
    help = "Send queued messages, mark overdue reports and close daily digests, in a loop."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do one round and exit")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between rounds")
        parser.add_argument(
            "--with-parent",
            action="store_true",
            help="Stop when the process that started this one ends (used by the demo)",
        )

    def handle(self, *args, once: bool, interval: float, with_parent: bool, **options):
        self.stopping = False
        self.parent = os.getppid() if with_parent else None
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while True:
            self.round()
            if once or self.stopping:
                return
            slept = 0.0
            while slept < interval and not self.stopping:
                time.sleep(0.5)
                slept += 0.5
                if self.parent is not None and os.getppid() != self.parent:
                    logger.info("worker stopping: its parent process ended")
                    self.stopping = True
            if self.stopping:
                return

    def round(self) -> None:
        """Each step is idempotent: running it twice, or in two workers, is harmless."""
        close_old_connections()
        sent = messages_send()
        lights = deadlines_check()
        cases = case_deadlines_check()
        digests = digests_close()
        if sent or any(lights.values()) or any(cases.values()) or digests:
            logger.info(
                "sent %d messages; %d yellow, %d red lights; "
                "%d case deadlines warned, %d overdue; %d digests",
                sent,
                lights["warning"],
                lights["overdue"],
                cases["warned"],
                cases["overdue"],
                len(digests),
            )

    def _stop(self, signum, frame) -> None:
        logger.info("worker stopping (signal %d)", signum)
        self.stopping = True
