"""The background worker: sends queued text messages, watches report and case deadlines,
closes the record's daily digests and runs the checks of the chain asked for on the web.
Run one (or more) under the system's service manager, e.g. a systemd unit with
``ExecStart=… yangguang worker``."""

import logging
import os
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from yangguang.analytics.leader_reports import leader_reports_run
from yangguang.cases.deadlines import case_deadlines_check
from yangguang.credit.scoring import scores_new_year
from yangguang.disclosure.services import publications_remove_expired
from yangguang.merchants.inspections import rectifications_expire
from yangguang.notify.services import messages_send
from yangguang.patrol.services import patrol_housekeeping
from yangguang.records.anchor import AnchorError
from yangguang.records.services import anchor_update, digests_close
from yangguang.records.verification import verification_run_next
from yangguang.reports.services import deadlines_check
from yangguang.reports.tally import tallies_maintain

logger = logging.getLogger("yangguang.worker")


class Command(BaseCommand):
    message_interval = 2.0
    messages_sent_at = 0.0
    help = "Send queued messages, mark overdue reports and close daily digests, in a loop."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do one round and exit")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between rounds")
        parser.add_argument(
            "--message-interval",
            type=float,
            default=2.0,
            help="Seconds between looks at the SMS outbox (a one-time code must not wait a round)",
        )
        parser.add_argument(
            "--with-parent",
            action="store_true",
            help="Stop when the process that started this one ends (used by the demo)",
        )

    def handle(
        self,
        *args,
        once: bool,
        interval: float,
        message_interval: float,
        with_parent: bool,
        **options,
    ):
        self.stopping = False
        self.message_interval = message_interval
        self.messages_sent_at = time.monotonic()
        self.parent = os.getppid() if with_parent else None
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while True:
            self.round()
            if once or self.stopping:
                return
            slept = since_messages = 0.0
            while slept < interval and not self.stopping:
                time.sleep(0.5)
                slept += 0.5
                since_messages += 0.5
                if since_messages >= message_interval:
                    since_messages = 0.0
                    self.send_messages()
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
        removed = publications_remove_expired()
        overdue = rectifications_expire()
        rescored = scores_new_year()
        patrol = patrol_housekeeping()
        tallies_maintain()
        leader_reports_run()
        if any(patrol.values()):
            logger.info(
                "%d duty shifts ended after the maximum length; %d old positions deleted",
                patrol["ended"],
                patrol["purged"],
            )
        digests = digests_close()
        self.write_anchor()
        self.verify_chain()
        if sent or any(lights.values()) or any(cases.values()) or digests or removed or overdue:
            logger.info(
                "sent %d messages; %d yellow, %d red lights; "
                "%d case deadlines warned, %d overdue; %d publications removed; "
                "%d 整改 overdue; %d merchants rescored for the new year; %d digests",
                sent,
                lights["warning"],
                lights["overdue"],
                cases["warned"],
                cases["overdue"],
                removed,
                overdue,
                rescored,
                len(digests),
            )

    def send_messages(self) -> None:
        """Between rounds: the outbox alone, so that codes and replies leave within
        seconds of the request that queued them (the request never sends)."""
        close_old_connections()
        sent = messages_send()
        self.messages_sent_at = time.monotonic()
        if sent:
            logger.info("sent %d messages", sent)

    def verify_chain(self) -> None:
        """A check of the chain asked for on the web (records.verification). It may take
        minutes: the outbox is looked at between its batches, so codes do not wait."""
        run = verification_run_next(between_batches=self.send_messages_if_due)
        if run is not None:
            logger.info(
                "chain verification %d: %s, %d entries", run.pk, run.status, run.entries_checked
            )

    def send_messages_if_due(self) -> None:
        # Not send_messages(): closing "old" connections would close the one the
        # verification is reading the chain through.
        if time.monotonic() - self.messages_sent_at >= self.message_interval:
            self.messages_sent_at = time.monotonic()
            sent = messages_send()
            if sent:
                logger.info("sent %d messages", sent)

    def write_anchor(self) -> None:
        """Keep YANGGUANG_ANCHOR_FILE at the latest closed day (nothing to do most rounds).
        A refusal is a tamper alarm: logged every round until someone looks."""
        if settings.RECORD_ANCHOR_FILE is None:
            return
        try:
            anchor = anchor_update(path=settings.RECORD_ANCHOR_FILE)
        except AnchorError as exc:
            logger.error("record anchor not written: %s", exc)
            return
        if anchor:
            logger.info("record anchor of %s written", anchor.day.isoformat())

    def _stop(self, signum, frame) -> None:
        logger.info("worker stopping (signal %d)", signum)
        self.stopping = True
