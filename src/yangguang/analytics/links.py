"""Where each figure leads: the list of exactly the items it counts, with the same
filters as the work queues (backoffice ``queues``/``all`` and the steps list)."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse


def report_list_url(
    measure: str,
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    **filters,
) -> str:
    """The staff list of the reports ``measure`` counts, received from ``since`` to
    ``until``, narrowed by ``filters`` (unit, street, community, created_by, channel,
    status, category_id, grid)."""
    query = {"measure": measure}
    if since is not None:
        query["since"] = since.isoformat()
    if until is not None:
        query["until"] = until.isoformat()
    query.update({key: value for key, value in filters.items() if value not in (None, "")})
    return reverse("backoffice:queue", args=["all"]) + "?" + urlencode(query)


def step_list_url(
    *, user: int, actions: list[str], since: datetime.date, until: datetime.date
) -> str:
    """The staff list of the steps ``user`` took, from ``since`` to ``until``."""
    query = [("user", user), ("since", since.isoformat()), ("until", until.isoformat())]
    query += [("action", action) for action in actions]
    return reverse("backoffice:command_steps") + "?" + urlencode(query)


def queue_url(code: str) -> str:
    return reverse("backoffice:queue", args=[code])


def case_list_url(status: str) -> str:
    return reverse("backoffice:cases") + "?" + urlencode({"status": status})
