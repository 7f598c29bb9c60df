"""What a published decision may say about people (事后公开的隐私处理).

The provincial rules on publishing penalty results hide an individual's address,
contact details, identity number and bank account, and the names of third persons;
local practice names an individual party by surname and 某, and a sole trader
(个体工商户) by the trade name (reference: docs/disclosure.md). The rules here are the
one place that turns a case into public text; ``text_problems`` is the one check on any
text the legal office edits before it is published.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yangguang.cases.enums import PartyKind
from yangguang.cases.identity import id_number_birth_date
from yangguang.cases.models import Case
from yangguang.core.privacy import ID_NUMBER, MOBILE_NUMBER, comparable
from yangguang.disclosure.enums import IndividualNameRule, SoleTraderRule
from yangguang.disclosure.models import DisclosureRules

MASK = "***"
ANONYMOUS = "当事人"
# Two-character surnames common enough to matter; any other name keeps one character.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
        "南宫",
        "轩辕",
        "呼延",
        "独孤",
        "西门",
        "百里",
        "万俟",
        "单于",
        "闻人",
        "澹台",
        "公冶",
        "太史",
        "申屠",
        "钟离",
        "东郭",
    ]
)
# 个体工商户 codes begin with 92 (GB 32100-2015: 登记管理部门 9 工商, 机构类别 2).
SOLE_TRADER_PREFIX = "92"
ADULT_AGE = 18


def surname(name: str) -> str:
    name = name.strip()
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def masked_individual(name: str, rule: str) -> str:
    """张三 → 张某 (or 张某某, or 当事人), by the local rule."""
    if rule == IndividualNameRule.OMIT or not name.strip():
        return ANONYMOUS
    suffix = "某某" if rule == IndividualNameRule.SURNAME_MOUMOU else "某"
    return surname(name) + suffix


def is_sole_trader(case: Case) -> bool:
    return case.party_credit_code.startswith(SOLE_TRADER_PREFIX)


def public_party(case: Case, rules: DisclosureRules) -> tuple[str, bool, str]:
    """(name as published, is an organisation, credit code as published)."""
    if case.party_kind == PartyKind.ORGANISATION:
        if is_sole_trader(case) and rules.sole_trader_rule == SoleTraderRule.AS_INDIVIDUAL:
            return (
                masked_individual(case.party_representative, rules.individual_name_rule),
                False,
                "",
            )
        return case.party_name, True, case.party_credit_code
    return masked_individual(case.party_name, rules.individual_name_rule), False, ""


def private_words(case: Case) -> list[tuple[str, str]]:
    """(word, replacement) for what the case itself knows to be personal: the individual
    party's and the representative's names, address and phone, and the reporters' names
    and phones. Longest first, so a full name goes before its surname."""
    rules = DisclosureRules.objects.get_or_create(pk=1)[0]
    words: list[tuple[str, str]] = []
    if case.party_kind == PartyKind.INDIVIDUAL and case.party_name.strip():
        words.append(
            (
                case.party_name.strip(),
                masked_individual(case.party_name, rules.individual_name_rule),
            )
        )
    if case.party_representative.strip():
        words.append(
            (
                case.party_representative.strip(),
                masked_individual(case.party_representative, rules.individual_name_rule),
            )
        )
    for value in (case.party_address, case.party_phone, case.party_id_number):
        if value.strip():
            words.append((value.strip(), MASK))
    if case.report_id:
        for reporter in case.report.reporters.all():
            if reporter.name.strip():
                words.append(
                    (
                        reporter.name.strip(),
                        masked_individual(reporter.name, IndividualNameRule.SURNAME_MOU),
                    )
                )
            if reporter.phone.strip():
                words.append((reporter.phone.strip(), MASK))
    return sorted(words, key=lambda pair: -len(pair[0]))


def redact(text: str, case: Case) -> str:
    """The text with the case's personal words replaced, then any mobile or identity
    number left masked. Names of third persons the case does not know are the legal
    office's to mask when it reviews the content (``text_problems`` reminds it)."""
    for word, replacement in private_words(case):
        text = text.replace(word, replacement)
    text = MOBILE_NUMBER.sub(MASK, comparable(text))
    return ID_NUMBER.sub(MASK, text)


def text_problems(text: str, case: Case) -> list[str]:
    """Why this text must not be published as it stands (empty when it may)."""
    problems = []
    if "\x00" in text:
        problems.append(_("The text contains a NUL character, which cannot be stored."))
    flat = comparable(text)
    if MOBILE_NUMBER.search(flat):
        problems.append(_("It contains a mobile phone number."))
    if ID_NUMBER.search(flat):
        problems.append(_("It contains an identity number."))
    for word, _replacement in private_words(case):
        if word in text and len(word) > 1:
            problems.append(
                _("It names “%(word)s”, which is personal data of the case.") % {"word": word}
            )
    return problems


def validate_public_text(text: str, case: Case) -> None:
    problems = text_problems(text, case)
    if problems:
        raise ValidationError(" ".join(problems), code="personal_data")


def party_is_minor(case: Case) -> bool:
    """The individual party was under 18 when the act began (by the identity number's
    birth date); decisions against minors are never published online."""
    if case.party_kind != PartyKind.INDIVIDUAL or not case.party_id_number:
        return False
    try:
        birth = id_number_birth_date(case.party_id_number)
    except ValidationError:
        return False
    day = case.act_started_on
    try:
        adult_on = birth.replace(year=birth.year + ADULT_AGE)
    except ValueError:  # born on 29 February
        adult_on = datetime.date(birth.year + ADULT_AGE, 3, 1)
    return day < adult_on
