"""Identity numbers of people (GB 11643-1999) and organisations (GB 32100-2015).

The real numbers below are public: GB 11643-1999's example 11010519491231002X, the
worked example of GB 32100-2015's check character, the codes of well-known companies
(Huawei's as quoted by Wikipedia) and the samples of open-source validators (hutool's
tests and others). The reference check
functions at the top are written from the standards' formulas (weights as powers of 2 and
3), not from the module's tables, so that the two cross-check each other.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from yangguang.cases.identity import (
    FEMALE,
    MALE,
    PROVINCE_CODES,
    REGISTRATION_AUTHORITY_CODES,
    USCC_CHARSET,
    generate_credit_code,
    generate_id_number,
    id_number_birth_date,
    id_number_sex,
    validate_credit_code,
    validate_id_number,
)

TODAY = datetime.date(2026, 11, 20)


def _mod_11_2(first17: str) -> str:
    """ISO 7064 MOD 11-2 as GB 11643-1999 clause 5.5 states it: Wi = 2**(i-1) mod 11
    counted from the right, check = (12 - sum mod 11) mod 11, 10 written X."""
    total = sum(int(digit) * pow(2, 17 - index, 11) for index, digit in enumerate(first17))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _gb11714(body8: str) -> str:
    """GB 11714-1997: letters valued A=10 ... Z=35, weights 3 7 9 10 5 8 4 2."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body8]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _gb32100(first17: str) -> str:
    """GB 32100-2015 clause 4: Wi = 3**(i-1) mod 31, C18 = 31 - MOD(sum, 31)."""
    total = sum(USCC_CHARSET.index(c) * pow(3, index, 31) for index, c in enumerate(first17))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _refusal(validator, value: str, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as error, translation.override("en"):
        validator(value, **kwargs)
    assert len(error.value.messages) == 1
    return error.value


# --- 公民身份号码, GB 11643-1999 -------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # GB 11643-1999 annex A: 北京朝阳 1949-12-31, woman
        "321083197812162119",  # hutool IdcardUtilTest
        "33010219200403064X",  # hutool IdcardUtilTest (converted from 15 digits)
        "81000019980902013X",  # 港澳居民居住证 (Hong Kong), hutool IdcardUtilTest
        "820000200009100032",  # 港澳居民居住证 (Macao), hutool IdcardUtilTest
        "830000200209060065",  # 台湾居民居住证, hutool IdcardUtilTest
    ],
)
def test_id_number_gb11643_published_example_is_accepted(number):
    """GB 11643-1999 clause 5.1: the published numbers pass unchanged."""
    assert validate_id_number(number) == number


def test_id_number_gb11643_lowercase_x_and_whitespace_are_normalised():
    """GB 11643-1999 clause 5.5 writes the check value 10 as a capital X."""
    assert validate_id_number(" 11010519491231002x\n") == "11010519491231002X"


@pytest.mark.parametrize(
    "number",
    [
        "",
        "1101051949123100",  # 16 characters
        "11010519491231002",  # 17: the check digit is missing
        "11010519491231002XX",  # 19
        "110105491231002",  # the first-generation 15-digit number
        "1101051949 231002X",  # a space inside
        "11010519491231002Y",  # a check character other than X
        "X10105194912310021",  # X before the last place
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits
    ],
)
def test_id_number_gb11643_not_17_digits_and_a_check_character_is_refused(number):
    """GB 11643-1999 clause 5.1: 17 digits and one check character, a digit or X."""
    error = _refusal(validate_id_number, number)
    assert error.code == "id_length"
    assert error.messages == [
        "An identity number has 18 characters: 17 digits and a check digit or X."
    ]


@pytest.mark.parametrize("region", ["000000", "100000", "160000", "720000", "840000", "990000"])
def test_id_number_gb11643_region_not_a_province_is_refused(region):
    """GB 11643-1999 clause 5.2: the address code is a GB/T 2260 division, whose first two
    digits name a province, autonomous region or municipality."""
    number = generate_id_number(region, datetime.date(1980, 1, 1), 1)
    error = _refusal(validate_id_number, number)
    assert error.code == "id_region"
    assert error.messages == [
        f"An identity number starts with a province code (GB/T 2260); {region[:2]} is not one."
    ]


def test_id_number_foreigners_permanent_residence_number_is_refused_as_a_region():
    """The 2023 foreigners' permanent residence card (932682198501010017) shares the layout
    and check digit but starts with 9: it is not a resident identity number."""
    assert _mod_11_2("93268219850101001") == "7"
    assert _refusal(validate_id_number, "932682198501010017").code == "id_region"


def test_id_number_province_codes_are_those_of_gb_t_2260():
    expected = {
        *("11", "12", "13", "14", "15", "21", "22", "23"),
        *("31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44", "45", "46"),
        *("50", "51", "52", "53", "54", "61", "62", "63", "64", "65"),
        *("71", "81", "82", "83"),
    }
    assert expected == PROVINCE_CODES


@pytest.mark.parametrize("birth", ["19490229", "19491331", "19490001", "20000230", "19000229"])
def test_id_number_gb11643_birth_date_not_a_calendar_date_is_refused(birth):
    """GB 11643-1999 clause 5.3: the birth date is a real date in GB/T 7408 form
    (1949 and 1900 are not leap years)."""
    first17 = f"110105{birth}002"
    error = _refusal(validate_id_number, first17 + _mod_11_2(first17))
    assert error.code == "id_birth_date"
    assert error.messages == [f"The birth date {birth} in the identity number is not a real date."]


def test_id_number_gb11643_birth_date_in_the_future_is_refused():
    """GB 11643-1999 clause 5.3: a birth date cannot lie after today."""
    tomorrow = generate_id_number("110105", TODAY + datetime.timedelta(days=1), 2)
    error = _refusal(validate_id_number, tomorrow, today=TODAY)
    assert error.code == "id_birth_date"
    assert error.messages == ["The birth date 2026-11-21 in the identity number is in the future."]
    born_today = generate_id_number("110105", TODAY, 2)
    assert validate_id_number(born_today, today=TODAY) == born_today


def test_id_number_birth_date_in_the_future_is_judged_against_the_local_date():
    today = timezone.localdate()
    tomorrow = generate_id_number("310101", today + datetime.timedelta(days=1), 5)
    assert _refusal(validate_id_number, tomorrow).code == "id_birth_date"
    born_today = generate_id_number("310101", today, 5)
    assert validate_id_number(born_today) == born_today


def test_id_number_born_before_1900_is_refused():
    """Project rule on top of GB 11643-1999 clause 5.3: no party was born before 1900, so
    the standard's own annex A example 440524188001010014 (born 1880, check digit right)
    is refused."""
    assert _mod_11_2("44052418800101001") == "4"
    error = _refusal(validate_id_number, "440524188001010014")
    assert error.code == "id_birth_date"
    assert error.messages == [
        "The birth date 1880-01-01 in the identity number is before 1900-01-01."
    ]
    last_day = generate_id_number("440524", datetime.date(1899, 12, 31), 1)
    assert _refusal(validate_id_number, last_day).code == "id_birth_date"
    first_day = generate_id_number("440524", datetime.date(1900, 1, 1), 1)
    assert validate_id_number(first_day) == first_day


@pytest.mark.parametrize("wrong", list("0123456789"))
def test_id_number_gb11643_check_digit_wrong_is_refused(wrong):
    """GB 11643-1999 clause 5.5: the check character is ISO 7064 MOD 11-2 of the first 17
    digits; every other character in its place is refused."""
    error = _refusal(validate_id_number, "11010519491231002" + wrong)
    assert error.code == "id_check_digit"
    assert error.messages == ["The check digit of this identity number is wrong: expected X."]


def test_id_number_gb11643_swapped_digits_are_caught_by_the_check_digit():
    """ISO 7064 MOD 11-2 detects the transposition of two adjacent digits."""
    assert _refusal(validate_id_number, "11010519491231020X").code == "id_check_digit"


def test_id_number_gb11643_birth_date_and_sex_are_read_from_the_number():
    """GB 11643-1999 clauses 5.3 and 5.4: birth date in characters 7-14, sex from the parity
    of the 17th digit (odd for men)."""
    assert id_number_birth_date("11010519491231002X") == datetime.date(1949, 12, 31)
    assert id_number_sex("11010519491231002X") == FEMALE
    assert id_number_birth_date("321083197812162119") == datetime.date(1978, 12, 16)
    assert id_number_sex(" 321083197812162119 ") == MALE


@pytest.mark.parametrize("helper", [id_number_birth_date, id_number_sex])
def test_id_number_helpers_refuse_an_invalid_number(helper):
    assert _refusal(helper, "110105194912310021").code == "id_check_digit"


def test_id_number_generated_numbers_round_trip():
    """Every generated number is valid, keeps its parts and carries the MOD 11-2 digit."""
    births = [datetime.date(1900, 1, 1), datetime.date(1949, 10, 1), datetime.date(2000, 2, 29)]
    births += [datetime.date(1960 + n, 1 + n % 12, 1 + n % 28) for n in range(0, 60, 7)]
    checks = set()
    for province in sorted(PROVINCE_CODES):
        for index, birth in enumerate(births):
            for sequence in (0, 1, 2, 99, 500, 998, 999, 17 * index + 3):
                number = generate_id_number(f"{province}0102", birth, sequence)
                assert len(number) == 18
                assert number[17] == _mod_11_2(number[:17])
                assert validate_id_number(number.lower(), today=TODAY) == number
                assert id_number_birth_date(number) == birth
                assert id_number_sex(number) == (MALE if sequence % 2 else FEMALE)
                checks.add(number[17])
    assert checks == set("0123456789X")


@pytest.mark.parametrize(
    ("region", "sequence"),
    [("11010", 1), ("1101050", 1), ("11010A", 1), ("110105", -1), ("110105", 1000)],
)
def test_generate_id_number_refuses_malformed_parts(region, sequence):
    with pytest.raises(ValueError, match="must be"):
        generate_id_number(region, datetime.date(1980, 1, 1), sequence)


# --- 统一社会信用代码, GB 32100-2015 ----------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # GB 32100-2015's worked example of the check character
        "914403001922038216",  # 华为技术有限公司 (zh.wikipedia.org, 華為, 機構代碼)
        "91440300708461136T",  # 腾讯科技（深圳）有限公司
        "91110108551385082Q",  # 小米科技有限责任公司
        "91310110666007217T",  # hutool CreditCodeUtilTest
        "91110000101623741K",  # 中国全聚德（集团）股份有限公司, registered at national level
        "91341000MA2N0ABGXX",  # organisation code ending in X, letters valued A=10 ... Z=35
        "11610923MB2900168E",  # 1 机构编制 (a validator's sample list)
        "52610500MJU60350X1",  # 5 民政 (same list)
        "92510100MA61WJ3204",  # 9 工商, type 2 个体工商户 (same list)
    ],
)
def test_credit_code_gb32100_published_code_is_accepted(code):
    """GB 32100-2015 clause 4: real codes pass unchanged, both check characters included."""
    assert code[16] == _gb11714(code[8:16])
    assert code[17] == _gb32100(code[:17])
    assert validate_credit_code(code) == code


def test_credit_code_gb32100_lowercase_and_whitespace_are_normalised():
    """GB 32100-2015 clause 4.1: the code uses capital letters."""
    assert validate_credit_code("\t91341000ma2n0abgxx ") == "91341000MA2N0ABGXX"


@pytest.mark.parametrize(
    ("code", "length"),
    [
        ("", 0),
        ("91440300192203821", 17),
        ("9144030019220382166", 19),
        ("110108012660422", 15),  # the old 15-digit business registration number
        ("91440300 1922038216", 19),
    ],
)
def test_credit_code_gb32100_not_18_characters_is_refused(code, length):
    """GB 32100-2015 clause 4: the code has 18 characters."""
    error = _refusal(validate_credit_code, code)
    assert error.code == "uscc_length"
    assert error.messages == [f"A unified social credit code has 18 characters, not {length}."]


@pytest.mark.parametrize(
    ("code", "character"),
    [
        ("91350100M000100Y4Z", "Z"),  # the standard's worked example of a wrong code
        ("9144030019220382I6", "I"),
        ("914403001922O38216", "O"),
        ("91S403001922038216", "S"),
        ("V14403001922038216", "V"),
        ("91440300-922038216", "-"),
    ],
)
def test_credit_code_gb32100_character_outside_the_charset_is_refused(code, character):
    """GB 32100-2015 clause 4.1: digits and capital letters without I, O, S, V and Z."""
    error = _refusal(validate_credit_code, code)
    assert error.code == "uscc_charset"
    assert error.messages == [
        "A unified social credit code is made of digits and capital letters other than "
        f"I, O, S, V and Z; “{character}” is not allowed."
    ]


@pytest.mark.parametrize("authority", ["0", "B", "C", "X", "M"])
def test_credit_code_gb32100_unknown_registration_authority_is_refused(authority):
    """GB 32100-2015 clause 4: position 1 is a registration authority code."""
    code = generate_credit_code(authority, "1", "440300", "19220382")
    error = _refusal(validate_credit_code, code)
    assert error.code == "uscc_authority"
    assert error.messages == [
        "A unified social credit code starts with the code of its registration authority; "
        f"{authority} is not one."
    ]


@pytest.mark.parametrize("authority", sorted(REGISTRATION_AUTHORITY_CODES))
def test_credit_code_gb32100_every_registration_authority_of_the_table_is_accepted(authority):
    code = generate_credit_code(authority, "1", "440300", "19220382")
    assert validate_credit_code(code) == code


def test_credit_code_registration_authorities_are_those_of_the_standards_table():
    """GB 32100-2015 and its amendment XG1-2016: 1 机构编制, 5 民政, 9 工商, Y 其他 and the
    other departments of the table of registration authorities."""
    assert set("123456789ANY") == REGISTRATION_AUTHORITY_CODES


@pytest.mark.parametrize("division", ["4A0300", "44030Y", "MA0000"])
def test_credit_code_gb32100_division_with_letters_is_refused(division):
    """GB 32100-2015 clause 4: positions 3-8 are the registering authority's GB/T 2260
    division code, six digits."""
    first17 = f"91{division}19220382" + _gb11714("19220382")
    error = _refusal(validate_credit_code, first17 + _gb32100(first17))
    assert error.code == "uscc_division"
    assert error.messages == [
        "Characters 3 to 8 of a unified social credit code are the administrative division "
        f"code of the registering authority and must be digits, not {division}."
    ]


def test_credit_code_gb11714_organisation_check_character_wrong_is_refused():
    """GB 32100-2015 clause 4 / GB 11714-1997: position 17 checks the organisation code,
    even when position 18 was recomputed over the wrong character."""
    first17 = "9144030019220382" + "2"  # Huawei's organisation code with 2 for 1
    error = _refusal(validate_credit_code, first17 + _gb32100(first17))
    assert error.code == "uscc_org_code"
    assert error.messages == [
        "The organisation code in this unified social credit code (characters 9 to 17) has a "
        "wrong check character: expected 1."
    ]


def test_credit_code_gb11714_organisation_check_values_letters_by_the_latin_alphabet():
    """GB 11714-1997 values M as 22 and Y as 34 (not their GB 32100 charset places 21 and
    30): the standard's example organisation code M000100Y4 passes only that way."""
    assert _gb11714("M000100Y") == "4"
    assert validate_credit_code("91350100M000100Y43")


@pytest.mark.parametrize("wrong", sorted(set(USCC_CHARSET) - {"6"}))
def test_credit_code_gb32100_check_character_wrong_is_refused(wrong):
    """GB 32100-2015 clause 4: position 18 is 31 - MOD(sum(Ci * Wi), 31); every other
    character in its place is refused."""
    error = _refusal(validate_credit_code, "91440300192203821" + wrong)
    assert error.code == "uscc_check"
    assert error.messages == [
        "The check character of this unified social credit code is wrong: expected 6."
    ]


def test_credit_code_pilot_code_with_a_wrong_check_character_is_refused():
    """Known limitation: some codes issued in Fujian's pilot before GB 32100-2015
    (91350211M0000XUF46 is quoted as a live company's) fail the check character, and are
    refused like any other mistyped code."""
    error = _refusal(validate_credit_code, "91350211M0000XUF46")
    assert error.code == "uscc_check"
    assert error.messages == [
        "The check character of this unified social credit code is wrong: expected R."
    ]


def test_credit_code_gb32100_worked_example_sum_is_1640():
    """GB 32100-2015's worked example: the weighted sum of 91350100M000100Y4 is 1640,
    1640 mod 31 = 28, and 31 - 28 = 3 is the check character."""
    total = sum(
        USCC_CHARSET.index(c) * w
        for c, w in zip(
            "91350100M000100Y4",
            (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28),
            strict=True,
        )
    )
    assert total == 1640
    assert generate_credit_code("9", "1", "350100", "M000100Y") == "91350100M000100Y43"


def test_credit_code_generator_reproduces_real_codes():
    assert generate_credit_code("9", "1", "440300", "19220382") == "914403001922038216"
    assert generate_credit_code("9", "1", "110108", "55138508") == "91110108551385082Q"
    assert generate_credit_code("9", "1", "341000", "MA2N0ABG") == "91341000MA2N0ABGXX"


def test_credit_code_generated_codes_round_trip():
    """Every generated code is valid and carries both reference check characters."""
    bodies = ["00000000", "19220382", "MA2N0ABG", "YYYYYYYY", "MA5RC30P"]
    bodies += [(USCC_CHARSET * 2)[n : n + 8] for n in range(0, 31, 3)]
    org_checks, checks = set(), set()
    for authority in sorted(REGISTRATION_AUTHORITY_CODES):
        for org_type in USCC_CHARSET:
            for division in ("100000", "110108", "440300", "650000"):
                for body in bodies:
                    code = generate_credit_code(authority, org_type, division, body)
                    assert code[16] == _gb11714(body)
                    assert code[17] == _gb32100(code[:17])
                    assert validate_credit_code(code.lower()) == code
                    org_checks.add(code[16])
                    checks.add(code[17])
    assert org_checks <= set("0123456789X")
    assert checks == set(USCC_CHARSET)


@pytest.mark.parametrize(
    ("authority", "org_type", "division", "body8"),
    [
        ("", "1", "440300", "19220382"),
        ("91", "1", "440300", "19220382"),
        ("I", "1", "440300", "19220382"),
        ("9", "O", "440300", "19220382"),
        ("9", "1", "44030", "19220382"),
        ("9", "1", "44030A", "19220382"),
        ("9", "1", "440300", "1922038"),
        ("9", "1", "440300", "1922038Z"),
    ],
)
def test_generate_credit_code_refuses_malformed_parts(authority, org_type, division, body8):
    with pytest.raises(ValueError, match="must be"):
        generate_credit_code(authority, org_type, division, body8)
