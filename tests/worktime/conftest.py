import pytest

from tests.worktime.helpers import shipped_calendar
from yangguang.worktime.calendar import WorkCalendar


@pytest.fixture
def calendar_2026() -> WorkCalendar:
    """The official 2026 arrangement (shipped data/2026.csv) with 09:00–12:00, 13:30–17:30."""
    return shipped_calendar(2026)
