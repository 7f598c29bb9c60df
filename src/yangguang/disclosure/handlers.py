"""What the disclosure domain does when the cases domain announces a change
(core.events; subscribed in DisclosureConfig.ready, run in the case's transaction)."""

import datetime

from yangguang.core import events


def on_case_decided(*, case, now: datetime.datetime) -> None:
    from yangguang.disclosure.services import publication_propose

    publication_propose(case=case, now=now)


def on_decision_set_aside(
    *, case, ground: str, set_aside_on: datetime.date, now: datetime.datetime
) -> None:
    from yangguang.disclosure.services import publication_set_aside

    publication_set_aside(case=case, ground=ground, set_aside_on=set_aside_on, now=now)


def register() -> None:
    events.subscribe(events.CASE_DECIDED, on_case_decided)
    events.subscribe(events.CASE_DECISION_SET_ASIDE, on_decision_set_aside)
