import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yangguang.notify.gateways import MemoryGateway

# A fixed instant; every date of these tests is derived from it.
NOW = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def sent(settings):
    """What the (fake) SMS platform received, in order."""
    settings.SMS_GATEWAY = "memory"
    MemoryGateway.sent.clear()
    yield MemoryGateway.sent
    MemoryGateway.sent.clear()
