"""Identity numbers of the parties to a case: people and organisations.

公民身份号码 — GB 11643-1999
    18 characters (clause 5.1): a 6-digit address code, the administrative division of
    the holder's registered residence (GB/T 2260, clause 5.2); an 8-digit birth date
    YYYYMMDD (clause 5.3); a 3-digit sequence code whose last digit is odd for men and
    even for women (clause 5.4); and a check character (clause 5.5) computed with ISO
    7064 MOD 11-2: the first 17 digits are weighted by 2**(18 - i) mod 11, that is
    7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, and the sum modulo 11 selects one of
    1 0 X 9 8 7 6 5 4 3 2. Only the first two digits of the address code are checked
    here, against the province-level codes in ``PROVINCE_CODES``; the residence permits
    of Hong Kong, Macao (81, 82) and Taiwan (83) residents use the same layout. Birth
    dates before ``EARLIEST_BIRTH_DATE`` are refused as typing errors: that floor is
    this project's rule, not the standard's (whose own annex A example 440524188001010014
    is born in 1880).

统一社会信用代码 — GB 32100-2015
    18 characters from the 31-character set ``USCC_CHARSET`` (the digits and the capital
    letters without I, O, S, V and Z; clause 4.1): the registration authority (position 1,
    ``REGISTRATION_AUTHORITY_CODES``), the organisation type (position 2), the
    registering authority's administrative division (positions 3-8, digits), the
    organisation code (positions 9-17, GB 11714-1997: an 8-character body and its own
    MOD 11 check character) and the check character (position 18, clause 4):
    C18 = 31 - MOD(sum(Ci * Wi), 31) with Wi = 3**(i - 1) mod 31, Ci the position of
    the character in the charset, 31 mapped to 0. The GB 11714 check character instead
    values letters by their place in the full Latin alphabet (A=10 ... Z=35):
    C9 = 11 - MOD(sum(Ci * Wi), 11) with weights 3 7 9 10 5 8 4 2, 10 written X and 11
    written 0.

The check characters of both standards come from python-stdnum (``stdnum.cn.ric``,
``stdnum.cn.uscc``); what this module adds is the project's own rules and messages: the
province list, the birth-date floor, the registration authorities, the division digits
and the GB 11714 organisation-code check that stdnum does not make (its USCC validation
also wants positions 1-8 all digits, which refuses authorities A, N and Y).

Both validators strip surrounding whitespace, return the upper-case value and raise
``ValidationError`` with one message and one code per failure, checked in the order the
codes are listed in the functions' docstrings.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc

# GB/T 2260 province-level divisions, the first two digits of an address code.
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        *("11", "12", "13", "14", "15"),  # 北京 天津 河北 山西 内蒙古
        *("21", "22", "23"),  # 辽宁 吉林 黑龙江
        *("31", "32", "33", "34", "35", "36", "37"),  # 上海 江苏 浙江 安徽 福建 江西 山东
        *("41", "42", "43", "44", "45", "46"),  # 河南 湖北 湖南 广东 广西 海南
        *("50", "51", "52", "53", "54"),  # 重庆 四川 贵州 云南 西藏
        *("61", "62", "63", "64", "65"),  # 陕西 甘肃 青海 宁夏 新疆
        "71",  # 台湾
        *("81", "82"),  # 香港 澳门 (港澳居民居住证)
        "83",  # 台湾居民居住证
    }
)

EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# 1 机构编制, 5 民政, 9 工商 (市场监管), Y 其他, and the other departments of the standard's
# table of registration authorities as amended by GB 32100-2015/XG1-2016.
REGISTRATION_AUTHORITY_CODES: frozenset[str] = frozenset("123456789ANY")
ORGANISATION_CODE_WEIGHTS: tuple[int, ...] = (3, 7, 9, 10, 5, 8, 4, 2)

MALE = "male"
FEMALE = "female"

_ID_NUMBER_FORMAT = re.compile(r"[0-9]{17}[0-9X]")
_DIVISION_FORMAT = re.compile(r"[0-9]{6}")


def _id_check_character(first17: str) -> str:
    """GB 11643-1999 clause 5.5: ISO 7064 MOD 11-2 over the first 17 digits."""
    return ric.calc_check_digit(first17 + "0")  # stdnum drops the last character


def _birth_date(number: str) -> datetime.date | None:
    """The date in characters 7-14, or None when they are not a calendar date."""
    digits = number[6:14]
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def validate_id_number(value: str, *, today: datetime.date | None = None) -> str:
    """Validate a resident identity number (GB 11643-1999) and return it normalised.

    Failure codes, in the order checked: ``id_length`` (not 17 digits and a digit or X),
    ``id_region`` (first two digits not in ``PROVINCE_CODES``), ``id_birth_date`` (not a
    calendar date, after ``today`` — by default the local date — or before
    ``EARLIEST_BIRTH_DATE``) and ``id_check_digit``.
    """
    number = value.strip().upper()
    if not _ID_NUMBER_FORMAT.fullmatch(number):
        raise ValidationError(
            _("An identity number has 18 characters: 17 digits and a check digit or X."),
            code="id_length",
        )
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("An identity number starts with a province code (GB/T 2260); %(code)s is not one."),
            code="id_region",
            params={"code": number[:2]},
        )
    birth = _birth_date(number)
    if birth is None:
        raise ValidationError(
            _("The birth date %(date)s in the identity number is not a real date."),
            code="id_birth_date",
            params={"date": number[6:14]},
        )
    if birth > (today or timezone.localdate()):
        raise ValidationError(
            _("The birth date %(date)s in the identity number is in the future."),
            code="id_birth_date",
            params={"date": birth.isoformat()},
        )
    if birth < EARLIEST_BIRTH_DATE:
        raise ValidationError(
            _("The birth date %(date)s in the identity number is before %(earliest)s."),
            code="id_birth_date",
            params={"date": birth.isoformat(), "earliest": EARLIEST_BIRTH_DATE.isoformat()},
        )
    expected = _id_check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("The check digit of this identity number is wrong: expected %(expected)s."),
            code="id_check_digit",
            params={"expected": expected},
        )
    return number


def id_number_birth_date(value: str) -> datetime.date:
    """The holder's birth date (GB 11643-1999 clause 5.3); raises ``ValidationError``
    when the number is not valid."""
    number = validate_id_number(value)
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_number_sex(value: str) -> str:
    """``MALE`` or ``FEMALE`` from the parity of the 17th digit, the last of the sequence
    code (GB 11643-1999 clause 5.4); raises ``ValidationError`` when the number is not
    valid."""
    return MALE if int(validate_id_number(value)[16]) % 2 else FEMALE


def generate_id_number(region: str, birth: datetime.date, sequence: int) -> str:
    """The identity number for a 6-digit address code, a birth date and a sequence code
    0-999 (odd for men, even for women), with its check digit.

    Only the shape of the parts is checked, so that tests can build numbers whose
    check digit is right but whose region or date is not; run the result through
    ``validate_id_number`` when it must be valid.
    """
    if not _DIVISION_FORMAT.fullmatch(region):
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if not 0 <= sequence <= 999:
        raise ValueError(f"sequence must be 0-999, got {sequence}")
    first17 = f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}{sequence:03d}"
    return first17 + _id_check_character(first17)


def _organisation_check_character(body8: str) -> str:
    """GB 11714-1997: the check character of an 8-character organisation code body.

    Letters count by their place in the Latin alphabet (A=10 ... Z=35), which is what
    ``int(character, 36)`` returns.
    """
    total = sum(
        int(character, 36) * weight
        for character, weight in zip(body8, ORGANISATION_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _uscc_check_character(first17: str) -> str:
    """GB 32100-2015 clause 4: 31 - MOD(sum(Ci * Wi), 31), 31 written 0."""
    return uscc.calc_check_digit(first17)


def validate_credit_code(value: str) -> str:
    """Validate a unified social credit code (GB 32100-2015) and return it normalised.

    Failure codes, in the order checked: ``uscc_length``, ``uscc_charset`` (a character
    outside ``USCC_CHARSET``), ``uscc_authority`` (position 1 not in
    ``REGISTRATION_AUTHORITY_CODES``), ``uscc_division`` (positions 3-8 not digits),
    ``uscc_org_code`` (the GB 11714 check character at position 17) and ``uscc_check``
    (position 18).
    """
    code = value.strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters, not %(length)d."),
            code="uscc_length",
            params={"length": len(code)},
        )
    for character in code:
        if character not in USCC_CHARSET:
            raise ValidationError(
                _(
                    "A unified social credit code is made of digits and capital letters "
                    "other than I, O, S, V and Z; “%(character)s” is not allowed."
                ),
                code="uscc_charset",
                params={"character": character},
            )
    if code[0] not in REGISTRATION_AUTHORITY_CODES:
        raise ValidationError(
            _(
                "A unified social credit code starts with the code of its registration "
                "authority; %(authority)s is not one."
            ),
            code="uscc_authority",
            params={"authority": code[0]},
        )
    if not _DIVISION_FORMAT.fullmatch(code[2:8]):
        raise ValidationError(
            _(
                "Characters 3 to 8 of a unified social credit code are the administrative "
                "division code of the registering authority and must be digits, "
                "not %(division)s."
            ),
            code="uscc_division",
            params={"division": code[2:8]},
        )
    expected = _organisation_check_character(code[8:16])
    if code[16] != expected:
        raise ValidationError(
            _(
                "The organisation code in this unified social credit code (characters 9 "
                "to 17) has a wrong check character: expected %(expected)s."
            ),
            code="uscc_org_code",
            params={"expected": expected},
        )
    expected = _uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong: "
                "expected %(expected)s."
            ),
            code="uscc_check",
            params={"expected": expected},
        )
    return code


def generate_credit_code(authority: str, org_type: str, division: str, body8: str) -> str:
    """The unified social credit code for its parts, with the organisation code's check
    character (position 17) and the code's own (position 18).

    Only the shape of the parts is checked (single charset characters, 6 digits, 8
    charset characters), so that tests can build codes whose check characters are right
    but whose authority is not; run the result through ``validate_credit_code`` when it
    must be valid.
    """
    for name, part, length in (
        ("authority", authority, 1),
        ("org_type", org_type, 1),
        ("body8", body8, 8),
    ):
        if len(part) != length or any(character not in USCC_CHARSET for character in part):
            raise ValueError(f"{name} must be {length} of {USCC_CHARSET}, got {part!r}")
    if not _DIVISION_FORMAT.fullmatch(division):
        raise ValueError(f"division must be 6 digits, got {division!r}")
    first17 = f"{authority}{org_type}{division}{body8}{_organisation_check_character(body8)}"
    return first17 + _uscc_check_character(first17)
