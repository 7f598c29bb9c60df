"""The documents (文书) of a case: which move issues which document, their numbers and
their content, frozen when issued.

The text of a document is the legal form, in Chinese whatever the reader's language
(reference.md §4; the sets of 河南 2016 and 无极县). Each document is stored as an
ordered list of sections ``[heading, text]``; the PDF and .docx are rendered from it
(render.py), and its SHA-256 over the canonical JSON is printed on it and confirmed by
the public check page without showing anything personal.

The notices and decisions addressed to the party (PROSE_KINDS) follow the provincial
templates as prose (docs/documents.md): the party block (sections with a heading, one
line each), then paragraphs (sections without one) — 经查…, 以上事实有…等证据证实, 违反了…,
依据…, 决定/拟作出…, payment, remedies — and the seal line the renderer adds. The
approval forms and records stay tables.
"""

import datetime
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation

from yangguang.cases import law
from yangguang.cases.context import Context
from yangguang.cases.enums import Outcome, PartyKind, PenaltyKind, ServiceMethod
from yangguang.cases.models import Case, CaseDocument, CaseRules, DocumentCounter
from yangguang.cases.rules_of_law import amount_due
from yangguang.core.sequences import counter_next
from yangguang.org.models import User
from yangguang.org.selectors import bureau_root

Sections = list[list[str]]
# Texts address the party as "{you}": 你 for a person, 你单位 for an organisation.


@dataclass(frozen=True)
class Kind:
    title: str
    code: str = ""  # the number's code (罚决 …); empty: not numbered


KINDS: dict[str, Kind] = {
    "filing_approval": Kind("立案审批表"),
    "inquiry_record": Kind("询问笔录"),
    "inspection_record": Kind("现场检查（勘验）笔录"),
    "rectification_notice": Kind("责令（限期）改正通知书", "责改"),
    "preservation_notice": Kind("先行登记保存证据通知书", "先保"),
    "investigation_report": Kind("案件调查终结报告"),
    "legal_review_opinion": Kind("法制审核意见书"),
    "discussion_minutes": Kind("集体讨论笔录"),
    "prior_notice": Kind("行政处罚事先告知书", "罚告"),
    "hearing_rights_notice": Kind("行政处罚听证告知书", "听告"),
    "hearing_notice": Kind("听证通知书", "听通"),
    "hearing_record": Kind("听证笔录"),
    "statement_record": Kind("陈述申辩笔录"),
    "decision": Kind("行政处罚决定书", "罚决"),
    "no_penalty_decision": Kind("不予行政处罚决定书", "不罚"),
    "spot_decision": Kind("当场行政处罚决定书", "当罚"),
    "service_receipt": Kind("送达回证"),
    "reminder": Kind("催告书", "催"),
    "payment_plan_approval": Kind("延期（分期）缴纳罚款审批表"),
    "payment_plan_decision": Kind("延期（分期）缴纳罚款决定书", "缓缴"),
    "closing_approval": Kind("结案审批表"),
}
# Printed as prose (render.py); the others are forms printed as tables.
PROSE_KINDS = frozenset(
    {
        "prior_notice",
        "hearing_rights_notice",
        "hearing_notice",
        "decision",
        "no_penalty_decision",
        "reminder",
        "payment_plan_decision",
    }
)
# Written by the officers as records of what they saw and heard (case_write_record).
WRITTEN_KINDS = ("inquiry_record", "inspection_record", "rectification_notice")
# Records that prove facts, named in "以上事实有…等证据证实".
RECORD_KINDS = ("inspection_record", "inquiry_record", "preservation_notice", "hearing_record")

KIND_WORDS = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.CRITICISM: "通报批评",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATE_INCOME: "没收违法所得",
    PenaltyKind.CONFISCATE_PROPERTY: "没收非法财物",
    PenaltyKind.SUSPEND_LICENCE: "暂扣许可证件",
    PenaltyKind.REVOKE_LICENCE: "吊销许可证件",
    PenaltyKind.RESTRICT_BUSINESS: "限制开展生产经营活动",
    PenaltyKind.STOP_BUSINESS: "责令停产停业",
    PenaltyKind.CLOSE_DOWN: "责令关闭",
}
SERVICE_WORDS = {
    ServiceMethod.ON_THE_SPOT: "当场交付",
    ServiceMethod.DIRECT: "直接送达",
    ServiceMethod.LEFT: "留置送达",
    ServiceMethod.POST: "邮寄送达",
    ServiceMethod.NOTICE: "公告送达",
    ServiceMethod.ELECTRONIC: "电子送达",
}


def _day(moment: datetime.datetime | datetime.date | None) -> str:
    if moment is None:
        return "—"
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return f"{moment.year}年{moment.month}月{moment.day}日"


def _minute(moment: datetime.datetime | None) -> str:
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{_day(local)}{local.hour}时{local.minute:02d}分"


def _yuan(amount: Decimal | None) -> str:
    return f"{amount or 0:,.2f}元"


def _party(case: Case) -> Sections:
    if case.party_kind == PartyKind.ORGANISATION:
        rows = [
            ["当事人", case.party_name],
            ["统一社会信用代码", case.party_credit_code],
            ["法定代表人", case.party_representative],
        ]
    else:
        rows = [["当事人", case.party_name], ["公民身份号码", case.party_id_number]]
    return [*rows, ["住址", case.party_address], ["联系电话", case.party_phone]]


def _penalty(case: Case) -> str:
    words = [KIND_WORDS.get(kind, kind) for kind in case.penalty_kinds]
    return "、".join(f"罚款{_yuan(case.fine)}" if word == "罚款" else word for word in words) or "—"


def _officers(case: Case) -> str:
    return "、".join(
        f"{officer.user.name}（执法证号{officer.certificate_number}）"
        for officer in case.officers.select_related("user")
    )


def _violations(case: Case) -> list:
    rows = list(case.violations.select_related("violation"))
    return [row.violation for row in rows] or ([case.violation] if case.violation else [])


def _basis(case: Case) -> tuple[str, str]:
    violations = _violations(case)
    if not violations:
        return "—", "—"
    local = "（本地法规规章，见裁量基准）"
    return (
        "；".join(v.basis for v in violations),
        "；".join(v.penalty_basis or local for v in violations),
    )


def _separately(case: Case) -> str:
    """分别裁量、合并执行: each act's penalty, when the case has several."""
    rows = list(case.violations.select_related("violation"))
    if len(rows) < 2:
        return ""
    parts = [
        f"{row.violation.name}：{'、'.join(KIND_WORDS.get(k, k) for k in row.penalty_kinds) or '—'}"
        + (f"{_yuan(row.fine)}" if row.fine else "")
        for row in rows
    ]
    return "分别裁量：" + "；".join(parts) + f"。合并执行：{_penalty(case)}。"


def _remedies(rules: CaseRules) -> str:
    return (
        f"{{you}}如不服本决定，可以在收到本决定书之日起六十日内向{rules.reconsideration_body}"
        "申请行政复议，也可以在收到本决定书之日起六个月内依法向人民法院提起行政诉讼。"
        "行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外。"
    )


def _sentence(text: str) -> str:
    """The text as a whole sentence: trimmed, ending in a full stop."""
    text = (text or "").strip()
    if not text:
        return ""
    return text if text[-1] in "。！？；）”" else f"{text}。"


def _article_list(basis: str) -> str:
    """The basis as it stands in the sentence "违反了…的规定"."""
    return basis.replace("；", "、")


def _evidence(case: Case) -> str:
    """What proves the facts, from the case itself: its written records and the kinds
    of evidence attached to it (以上事实有…等证据证实)."""
    from yangguang.records.enums import EvidenceKind
    from yangguang.records.models import EvidenceLink

    proofs = [
        f"《{KINDS[kind].title}》"
        for kind in RECORD_KINDS
        if case.documents.filter(kind=kind).exists()
    ]
    counts: dict[str, int] = {}
    for kind in EvidenceLink.objects.filter(
        object_type="cases.case", object_id=str(case.pk)
    ).values_list("evidence__kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    words = {
        EvidenceKind.PHOTO: "现场照片{n}张",
        EvidenceKind.AUDIO: "录音{n}段",
        EvidenceKind.VIDEO: "视听资料{n}段",
        EvidenceKind.DOCUMENT: "书证{n}份",
    }
    proofs += [words[kind].format(n=counts[kind]) for kind in words if counts.get(kind)]
    if case.party_kind == PartyKind.ORGANISATION:
        proofs.append("当事人主体资格证明")
    else:
        proofs.append("当事人身份证明")
    return "、".join(proofs)


def _party_lines(case: Case) -> Sections:
    """The party block of a notice or decision: who, and where they live."""
    return [row for row in _party(case) if row[0] != "联系电话" or row[1]]


def _violated_and_basis(case: Case) -> tuple[str, str]:
    violated, penalty = _basis(case)
    return _article_list(violated), _article_list(penalty)


def _facts(case: Case) -> Sections:
    violated, penalty = _basis(case)
    return [
        ["案由", case.title],
        ["案件编号", case.number],
        ["违法事实", case.facts or "—"],
        ["违法地点", case.place or "—"],
        ["违法依据", violated],
        ["处罚依据", penalty],
    ]


def _filing(case: Case, rules: CaseRules, extra: dict) -> Sections:
    return [
        ["案件来源", case.get_source_display()],
        *_facts(case)[:4],
        *_party(case),
        ["承办人", _officers(case)],
        ["立案理由", "经初步调查，当事人涉嫌违法，依法应当给予行政处罚，符合立案条件。"],
        ["负责人审批意见", f"同意立案。{extra.get('by', '')} {_day(case.filed_at)}"],
    ]


def _written(case: Case, rules: CaseRules, extra: dict) -> Sections:
    return [
        ["案由", case.title],
        ["时间", _minute(extra.get("at"))],
        ["地点", extra.get("place") or case.place or "—"],
        ["执法人员", _officers(case)],
        *_party(case)[:2],
        ["告知", "执法人员已出示执法证件，并告知当事人有陈述、申辩和申请回避的权利。"],
        ["内容", extra.get("text", "")],
        ["", "以上内容记录属实。"],
    ]


def _preservation(case: Case, rules: CaseRules, extra: dict) -> Sections:
    return [
        *_party(case)[:2],
        ["案由", case.title],
        [
            "",
            "因{you}涉嫌违法，证据可能灭失或者以后难以取得，经本机关负责人批准，"
            "依据《中华人民共和国行政处罚法》第五十六条，对下列物品予以先行登记保存。"
            "本机关将在七个工作日内作出处理决定。在此期间，当事人或者有关人员不得销毁或者转移证据。",
        ],
        ["物品清单", extra.get("items", "")],
    ]


def _investigation_report(case: Case, rules: CaseRules, extra: dict) -> Sections:
    proposal = case.proposal or {}
    reasons = "；".join(proposal.get("reasons", [])) or "—"
    return [
        *_facts(case),
        *_party(case)[:2],
        ["裁量情节", reasons],
        ["拟处罚意见", _separately(case) or _penalty(case)],
        ["偏离裁量基准的理由", case.departure_reason or "无"],
        ["承办人", _officers(case)],
    ]


def _legal_opinion(case: Case, rules: CaseRules, extra: dict) -> Sections:
    points = (
        "已逐项审核：执法主体是否合法、执法人员是否具备资格；事实是否清楚、证据是否确凿充分；"
        "适用依据是否准确；裁量是否适当；程序是否合法、是否保障当事人权利；是否超越职权或者滥用职权；"
        "文书是否完备规范；是否涉嫌犯罪需要移送。"
    )
    return [
        *_facts(case)[:2],
        ["拟处罚意见", _penalty(case)],
        ["审核事项", points],
        ["审核意见", case.legal_opinion],
        ["审核人", f"{case.legal_reviewer.name if case.legal_reviewer else ''}"],
    ]


def _minutes(case: Case, rules: CaseRules, extra: dict) -> Sections:
    return [
        *_facts(case)[:2],
        ["讨论时间", _minute(case.discussed_at)],
        ["拟处罚意见", _penalty(case)],
        ["讨论记录及结论", case.discussion_minutes],
    ]


def _prior_notice(case: Case, rules: CaseRules, extra: dict) -> Sections:
    violated, penalty = _violated_and_basis(case)
    hearing = (
        [
            [
                "",
                "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{you}有权要求"
                f"听证。如要求听证，应当在收到本告知书之日起{law.HEARING_REQUEST_WORKING_DAYS}"
                "个工作日内向本机关提出；逾期未提出的，视为放弃听证权利。",
            ]
        ]
        if case.hearing_offered
        else []
    )
    return [
        *_party_lines(case),
        ["", f"经查，{_sentence(case.facts)}"],
        ["", f"以上事实有{_evidence(case)}等证据证实。"],
        [
            "",
            f"{{you}}的上述行为违反了{violated}的规定。依据{penalty}的规定，本机关拟对{{you}}"
            f"作出如下行政处罚：{_penalty(case)}。{_separately(case)}",
        ],
        [
            "",
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{you}有权进行"
            "陈述和申辩。如需陈述、申辩，应当在收到本告知书之日起"
            f"{rules.statement_working_days}个工作日内向本机关提出；逾期未提出的，视为放弃"
            "陈述和申辩的权利。本机关不因{you}陈述、申辩而给予更重的处罚。",
        ],
        *hearing,
    ]


def _hearing_rights(case: Case, rules: CaseRules, extra: dict) -> Sections:
    violated, penalty = _violated_and_basis(case)
    return [
        *_party_lines(case),
        [
            "",
            f"{{you}}涉嫌{case.title}一案，经查，{{you}}的行为违反了{violated}的规定。依据{penalty}"
            f"的规定，本机关拟对{{you}}作出{_penalty(case)}的行政处罚。",
        ],
        [
            "",
            "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{you}有权要求举行"
            f"听证。如要求听证，应当在收到本告知书之日起{law.HEARING_REQUEST_WORKING_DAYS}"
            "个工作日内向本机关提出；逾期未提出的，视为放弃听证权利。当事人不承担听证的费用。",
        ],
    ]


def _hearing_notice(case: Case, rules: CaseRules, extra: dict) -> Sections:
    presider = case.hearing_presider.name if case.hearing_presider else "—"
    return [
        *_party(case)[:2],
        ["案由", case.title],
        ["听证时间", _minute(case.hearing_at)],
        ["听证主持人", presider],
        [
            "",
            "请准时出席，可以委托一至二人代理。无正当理由拒不出席或者未经许可中途退出的，"
            "视为放弃听证权利（《中华人民共和国行政处罚法》第六十四条）。如认为主持人与本案有直接"
            "利害关系，有权申请回避。",
        ],
    ]


def _hearing_record(case: Case, rules: CaseRules, extra: dict) -> Sections:
    return [
        *_facts(case)[:2],
        ["听证时间", _minute(case.hearing_at)],
        ["主持人", case.hearing_presider.name if case.hearing_presider else "—"],
        *_party(case)[:2],
        ["听证记录", extra.get("transcript", "")],
        ["", "当事人或者其代理人核对无误后签字或者盖章。"],
    ]


def _statement(case: Case, rules: CaseRules, extra: dict) -> Sections:
    return [
        *_facts(case)[:2],
        *_party(case)[:2],
        ["陈述申辩内容", extra.get("text", "")],
        ["", "以上内容记录属实。"],
    ]


def _procedure_so_far(case: Case) -> str:
    """What the decision says of the prior notice and the party's answer to it."""
    if not case.notified_at:
        return ""
    notice = case.documents.filter(kind="prior_notice").order_by("issued_at", "pk").last()
    number = f"（{notice.number}）" if notice and notice.number else ""
    rights = "陈述、申辩和要求听证" if case.hearing_offered else "陈述、申辩"
    text = (
        f"本机关于{_day(case.notified_at)}向{{you}}送达了《行政处罚事先告知书》{number}，"
        f"告知{{you}}拟作出行政处罚的事实、理由、依据及依法享有的{rights}的权利。"
    )
    if case.heard_at:
        text += f"应{{you}}的要求，本机关于{_day(case.heard_at)}依法举行了听证。"
    if case.statement_received:
        text += "{you}提出了陈述、申辩意见，本机关对其提出的事实、理由和证据进行了复核。"
    elif case.rights_waived:
        text += f"{{you}}明确表示放弃{rights}的权利。"
    elif not case.heard_at:
        text += f"{{you}}在规定期限内未提出{rights}的要求。"
    return text


def _decision(case: Case, rules: CaseRules, extra: dict) -> Sections:
    violated, penalty = _violated_and_basis(case)
    filed = (
        f"本机关于{_day(case.filed_at)}对{{you}}涉嫌{case.title}一案立案调查。"
        if case.filed_at
        else f"{{you}}涉嫌{case.title}一案，"
    )
    payment = (
        [
            [
                "",
                f"{{you}}应当自收到本决定书之日起{law.PAYMENT_DAYS}日内缴纳罚款。"
                f"{_sentence(rules.payment_instructions)}到期不缴纳罚款的，本机关将每日按罚款"
                "数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额"
                "（《中华人民共和国行政处罚法》第七十二条）。",
            ]
        ]
        if case.fine > 0
        else []
    )
    procedure = _procedure_so_far(case)
    return [
        *_party_lines(case),
        ["", f"{filed}经查，{_sentence(case.facts)}"],
        ["", f"以上事实有{_evidence(case)}等证据证实。"],
        ["", f"{{you}}的上述行为违反了{violated}的规定。"],
        *([["", procedure]] if procedure else []),
        [
            "",
            f"依据{penalty}的规定，本机关决定对{{you}}作出如下行政处罚：{_penalty(case)}。"
            f"{_separately(case)}",
        ],
        *payment,
        [
            "",
            f"{_remedies(rules)}{{you}}逾期不申请行政复议、不提起行政诉讼，又不履行本决定的，"
            "本机关将依法申请人民法院强制执行。",
        ],
    ]


def _no_penalty(case: Case, rules: CaseRules, extra: dict) -> Sections:
    violated, _penalty_basis = _violated_and_basis(case)
    education = _sentence(case.education_note)
    return [
        *_party_lines(case),
        ["", f"{{you}}涉嫌{case.title}一案，经查，{_sentence(case.facts)}"],
        ["", f"以上事实有{_evidence(case)}等证据证实。"],
        ["", f"{{you}}的上述行为违反了{violated}的规定。"],
        [
            "",
            "依据《中华人民共和国行政处罚法》第三十三条的规定，本机关决定对{you}不予行政处罚。"
            + (f"本机关已对{{you}}进行了教育：{education}" if education else ""),
        ],
        ["", _remedies(rules)],
    ]


def _spot_decision(case: Case, rules: CaseRules, extra: dict) -> Sections:
    collected = (
        f"已当场收缴罚款，收据号{case.bank_receipt}。"
        if case.collected_on_the_spot
        else (
            f"应当自收到本决定书之日起{law.PAYMENT_DAYS}日内缴纳罚款。{rules.payment_instructions}"
            if case.fine > 0
            else ""
        )
    )
    return [
        *_party(case),
        ["违法事实", case.facts or case.title],
        ["违法地点", case.place or "—"],
        ["处罚依据及内容", f"依据{_basis(case)[1]}，当场给予{_penalty(case)}。"],
        ["履行方式", collected or "—"],
        ["执法人员", _officers(case)],
        ["救济途径", _remedies(rules)],
        [
            "",
            "本决定书已当场交付当事人，并报所属行政机关备案（《中华人民共和国行政处罚法》第五十二条）。",
        ],
    ]


def _service_receipt(case: Case, rules: CaseRules, extra: dict) -> Sections:
    return [
        ["送达文书", extra.get("document", "行政处罚决定书")],
        ["受送达人", case.party_name],
        ["送达时间", _minute(case.served_at)],
        ["送达方式", SERVICE_WORDS.get(case.service_method, case.service_method)],
        ["送达人", _officers(case)],
        ["", "受送达人签名或者盖章；拒绝签收的，由送达人注明情况并由见证人签名。"],
    ]


def _reminder(case: Case, rules: CaseRules, extra: dict) -> Sections:
    return [
        *_party(case)[:2],
        [
            "",
            f"本机关于{_day(case.decided_at)}作出行政处罚决定"
            f"（{extra.get('decision_number', '')}），"
            f"{{you}}应于{_day(case.payment_due)}前缴纳罚款{_yuan(case.fine)}，至今未履行。"
            "根据《中华人民共和国行政强制法》第三十五条、第五十四条的规定，现催告{you}"
            "自收到本催告书之日起十日内履行；逾期仍不履行的，本机关将依法申请人民法院强制执行。"
            "{you}有权进行陈述和申辩。",
        ],
        ["截至催告之日应缴金额", _yuan(extra.get("amount_due"))],
    ]


def _plan_lines(case: Case) -> str:
    rows = case.instalments.filter(paid_on__isnull=True).order_by("position")
    return "；".join(f"第{i.position}期：{_day(i.due_on)}前缴纳{_yuan(i.amount)}" for i in rows)


def _plan_kind(case: Case) -> str:
    return "分期" if case.instalments.filter(paid_on__isnull=True).count() > 1 else "延期"


def _plan_approval(case: Case, rules: CaseRules, extra: dict) -> Sections:
    return [
        *_facts(case)[:2],
        *_party(case)[:2],
        ["处罚决定书文号", extra.get("decision_number", "")],
        ["罚款数额", _yuan(case.fine)],
        ["当事人申请日期", _day(extra.get("applied_on"))],
        ["申请理由", extra.get("reason", "")],
        [f"{_plan_kind(case)}缴纳方案", _plan_lines(case)],
        [
            "审批意见",
            f"同意{_plan_kind(case)}缴纳罚款（《中华人民共和国行政处罚法》第六十六条第二款）。",
        ],
        ["审批人", extra.get("by", "")],
    ]


def _plan_decision(case: Case, rules: CaseRules, extra: dict) -> Sections:
    kind = _plan_kind(case)
    return [
        *_party(case)[:2],
        [
            "",
            f"{{you}}于{_day(extra.get('applied_on'))}申请{kind}缴纳本机关"
            f"{extra.get('decision_number', '')}行政处罚决定书确定的罚款{_yuan(case.fine)}。"
            f"经审查，根据《中华人民共和国行政处罚法》第六十六条第二款的规定，本机关决定同意"
            f"{{you}}{kind}缴纳罚款，{_plan_lines(case)}。{rules.payment_instructions}",
        ],
        [
            "",
            "逾期未缴纳的，对逾期的一期罚款每日按该期数额的百分之三加处罚款，加处罚款的数额"
            "不超出该期罚款的数额；本机关可依法申请人民法院强制执行"
            "（《中华人民共和国行政处罚法》第七十二条）。",
        ],
    ]


def _closing(case: Case, rules: CaseRules, extra: dict) -> Sections:
    paid = f"{_day(case.paid_on)}缴纳{_yuan(case.paid_amount)}，票据号{case.bank_receipt}"
    return [
        *_facts(case)[:2],
        *_party(case)[:2],
        ["处理结果", _penalty(case) if case.outcome == Outcome.PENALTY else "不予行政处罚"],
        ["执行情况", paid if case.paid_on else "—"],
        ["结案意见", "案件已执行完毕，同意结案。"],
    ]


BUILDERS: dict[str, Callable[[Case, CaseRules, dict], Sections]] = {
    "filing_approval": _filing,
    "inquiry_record": _written,
    "inspection_record": _written,
    "rectification_notice": _written,
    "preservation_notice": _preservation,
    "investigation_report": _investigation_report,
    "legal_review_opinion": _legal_opinion,
    "discussion_minutes": _minutes,
    "prior_notice": _prior_notice,
    "hearing_rights_notice": _hearing_rights,
    "hearing_notice": _hearing_notice,
    "hearing_record": _hearing_record,
    "statement_record": _statement,
    "decision": _decision,
    "no_penalty_decision": _no_penalty,
    "spot_decision": _spot_decision,
    "service_receipt": _service_receipt,
    "reminder": _reminder,
    "payment_plan_approval": _plan_approval,
    "payment_plan_decision": _plan_decision,
    "closing_approval": _closing,
}


def content_hash(
    *, kind: str, number: str, issued_at: datetime.datetime, sections: Sections
) -> str:
    canonical = json.dumps(
        {
            "kind": kind,
            "number": number,
            "issued_at": issued_at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "sections": sections,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _next_number(kind: str, now: datetime.datetime, rules: CaseRules) -> str:
    year = timezone.localtime(now).year
    return rules.document_number_pattern.format(
        abbreviation=rules.bureau_abbreviation,
        code=KINDS[kind].code,
        year=year,
        n=counter_next(DocumentCounter, kind=kind, year=year),
    )


def document_issue(
    *,
    case: Case,
    kind: str,
    actor: User,
    now: datetime.datetime,
    rules: CaseRules,
    extra: dict | None = None,
) -> CaseDocument:
    """Issue a document of the case, inside the caller's transaction."""
    you = "你单位" if case.party_kind == PartyKind.ORGANISATION else "你"
    # The legal form is Chinese whoever issues it (choice labels such as the source).
    with translation.override("zh-hans"):
        sections = [
            [str(a), str(b).replace("{you}", you)]
            for a, b in BUILDERS[kind](case, rules, extra or {})
        ]
    number = _next_number(kind, now, rules) if KINDS[kind].code else ""
    return CaseDocument.objects.create(
        case=case,
        kind=kind,
        number=number,
        title=KINDS[kind].title,
        issued_at=now,
        sections=sections,
        sha256=content_hash(kind=kind, number=number, issued_at=now, sections=sections),
        verify_token=secrets.token_urlsafe(18),
        issued_by=actor,
    )


def _decision_of(case: Case) -> CaseDocument | None:
    return case.documents.filter(kind__in=["decision", "spot_decision"]).first()


def _for_move(ctx: Context, verb: str) -> list[tuple[str, dict]]:
    case, payload = ctx.case, ctx.payload
    if verb == "notify":
        offered = [("hearing_rights_notice", {})] if case.hearing_offered else []
        return [("prior_notice", {}), *offered]
    if verb == "decide":
        kind = "decision" if case.outcome == Outcome.PENALTY else "no_penalty_decision"
        return [(kind, {})]
    if verb == "serve":
        decision = _decision_of(case)
        return [("service_receipt", {"document": decision.title if decision else ""})]
    if verb == "remind":
        decision = _decision_of(case)
        extra = {
            "decision_number": decision.number if decision else "",
            "amount_due": amount_due(case, ctx.today),
        }
        return [("reminder", extra)]
    if verb == "defer_payment":
        decision = _decision_of(case)
        extra = {
            "decision_number": decision.number if decision else "",
            "applied_on": payload.get("applied_on"),
            "reason": ctx.reason,
            "by": ctx.actor.name,
        }
        return [("payment_plan_approval", extra), ("payment_plan_decision", extra)]
    table: dict[str, list[tuple[str, dict]]] = {
        "file": [("filing_approval", {"by": ctx.actor.name})],
        "preserve": [("preservation_notice", {"items": payload.get("items", "")})],
        "end_investigation": [("investigation_report", {})],
        "legal_review": [("legal_review_opinion", {})],
        "discuss": [("discussion_minutes", {})],
        "schedule_hearing": [("hearing_notice", {})],
        "hold_hearing": [("hearing_record", {"transcript": payload.get("transcript", "")})],
        "record_statement": [("statement_record", {"text": payload.get("text", "")})],
        "decide_on_the_spot": [("spot_decision", {}), ("service_receipt", {})],
        "close": [("closing_approval", {})],
    }
    return table.get(verb, [])


def documents_for_move(ctx: Context, verb: str) -> list[CaseDocument]:
    """Issue the documents a move produces (after its guard has applied it)."""
    return [
        document_issue(
            case=ctx.case, kind=kind, actor=ctx.actor, now=ctx.now, rules=ctx.rules, extra=extra
        )
        for kind, extra in _for_move(ctx, verb)
    ]


def bureau_name() -> str:
    root = bureau_root()
    return root.name if root else ""
