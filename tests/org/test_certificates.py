import datetime

import pytest

from tests.factories import CertificateFactory, UserFactory
from yangguang.org.enums import CertificateStatus, PostCode
from yangguang.org.services import EnforcementTeamError, enforcement_team_check

DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def officers(org_tree):
    return [
        UserFactory(name=name, unit=org_tree.squadron1, posts=[PostCode.OFFICER])
        for name in ("张三", "李四", "王五")
    ]


def test_team_of_two_certified_officers_is_accepted(officers):
    """行政处罚法 art 42: at least two officers holding enforcement certificates."""
    first = CertificateFactory(holder=officers[0])
    second = CertificateFactory(holder=officers[1])
    assert enforcement_team_check(officers=officers[:2], on=DAY) == [first, second]


def test_officer_with_expired_certificate_is_refused(officers):
    """行政处罚法 art 42 and 55: the certificate must be valid on the day of the action."""
    CertificateFactory(holder=officers[0])
    CertificateFactory(
        holder=officers[1],
        number="370000999",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2026, 6, 30),
    )
    with pytest.raises(EnforcementTeamError) as error:
        enforcement_team_check(officers=officers[:2], on=DAY)
    assert error.value.messages == ["李四: certificate 370000999 expired on 2026-06-30."]


def test_certificate_is_valid_on_its_last_day(officers):
    CertificateFactory(holder=officers[0], valid_to=DAY)
    CertificateFactory(holder=officers[1])
    assert len(enforcement_team_check(officers=officers[:2], on=DAY)) == 2


def test_suspended_certificate_is_refused(officers):
    CertificateFactory(holder=officers[0])
    CertificateFactory(holder=officers[1], number="X1", status=CertificateStatus.SUSPENDED)
    with pytest.raises(EnforcementTeamError) as error:
        enforcement_team_check(officers=officers[:2], on=DAY)
    assert error.value.messages == ["李四: certificate X1 is Suspended."]


def test_certificate_not_yet_valid_is_refused(officers):
    CertificateFactory(holder=officers[0])
    CertificateFactory(holder=officers[1], number="X2", valid_from=datetime.date(2027, 1, 1))
    with pytest.raises(EnforcementTeamError) as error:
        enforcement_team_check(officers=officers[:2], on=DAY)
    assert error.value.messages == ["李四: certificate X2 is not valid until 2027-01-01."]


def test_officer_without_certificate_is_refused(officers):
    CertificateFactory(holder=officers[0])
    with pytest.raises(EnforcementTeamError) as error:
        enforcement_team_check(officers=officers[:2], on=DAY)
    assert error.value.messages == ["李四: holds no enforcement certificate."]


def test_single_officer_is_refused(officers):
    """行政处罚法 art 42: 执法人员不得少于两人."""
    CertificateFactory(holder=officers[0])
    with pytest.raises(EnforcementTeamError) as error:
        enforcement_team_check(officers=[officers[0], officers[0]], on=DAY)
    assert error.value.messages == [
        "At least 2 different officers are required (行政处罚法 art 42)."
    ]


def test_every_refused_officer_is_named(officers):
    CertificateFactory(holder=officers[0])
    with pytest.raises(EnforcementTeamError) as error:
        enforcement_team_check(officers=officers, on=DAY)
    assert error.value.messages == [
        "李四: holds no enforcement certificate.",
        "王五: holds no enforcement certificate.",
    ]


def test_newer_valid_certificate_wins_over_expired_one(officers):
    CertificateFactory(
        holder=officers[0],
        number="OLD",
        valid_from=datetime.date(2018, 1, 1),
        valid_to=datetime.date(2023, 12, 31),
    )
    renewed = CertificateFactory(holder=officers[0], number="NEW")
    CertificateFactory(holder=officers[1])
    assert enforcement_team_check(officers=officers[:2], on=DAY)[0] == renewed
