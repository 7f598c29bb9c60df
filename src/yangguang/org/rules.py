"""The post × action matrix, and the django-rules permissions built from it.

This table is the single source of truth: the README's matrix is generated from it
(``yangguang permission-matrix``) and a test fails when the two differ. Views, admin
and (later) the API ask ``user.has_perm("yangguang.<action>")``.
"""

import rules
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yangguang.org.enums import PostCode
from yangguang.org.selectors import user_post_codes

P = PostCode


class Action(models.TextChoices):
    VIEW_ORGANISATION = "view_organisation", _("View organisation, staff, grids, categories")
    VIEW_STAFF_CONTACTS = "view_staff_contacts", _("See staff phone numbers unmasked")
    CONFIGURE_SYSTEM = "configure_system", _("Configure units, grids, categories, calendar")
    MANAGE_ACCOUNTS = "manage_accounts", _("Manage accounts, posts and certificates")
    READ_AUDIT_LOG = "read_audit_log", _("Read audit records")
    READ_RECORDS = "read_records", _("Read the records of their units (全过程记录)")
    VIEW_WORK = "view_work", _("See the reports and cases of their units")
    REVEAL_PERSONAL_DATA = (
        "reveal_personal_data",
        _("Show personal data in records (itself recorded)"),
    )
    ADD_EVIDENCE = "add_evidence", _("Add evidence files (photos, recordings, documents)")
    REPORT_ACCEPT = "report_accept", _("Accept, register or reject reports (受理/立案)")
    REPORT_DISPATCH = "report_dispatch", _("Dispatch reports (派遣)")
    REPORT_HANDLE = "report_handle", _("Handle dispatched reports (处置)")
    REPORT_PATROL = "report_patrol", _("File patrol findings (巡查上报)")
    REPORT_VERIFY = "report_verify", _("Verify handling on site (核查)")
    REPORT_APPROVE_DELAY = "report_approve_delay", _("Approve extension or shelving (延期/挂账)")
    REPORT_CLOSE = "report_close", _("Close reports (结案)")
    REPORT_SUPERVISE = "report_supervise", _("Issue supervision orders (督办)")
    CASE_INVESTIGATE = "case_investigate", _("Investigate enforcement cases (调查取证)")
    CASE_APPROVE = "case_approve", _("Approve case filing and closing (立案/结案审批)")
    CASE_LEGAL_REVIEW = "case_legal_review", _("Legal review of decisions (法制审核)")
    CASE_DECIDE = "case_decide", _("Sign penalty decisions (作出处罚决定)")
    DISCLOSURE_PUBLISH = (
        "disclosure_publish",
        _("Approve, refuse and withdraw published decisions (事后公开)"),
    )
    MERCHANT_MANAGE = (
        "merchant_manage",
        _("Keep the merchant file, zones and 责任书; inspect zones (门前三包)"),
    )
    CREDIT_DECIDE = "credit_decide", _("Decide merchants' credit repairs (信用修复)")
    CAMPAIGN_STREET_SCORE = (
        "campaign_street_score",
        _("Score shops of their sub-district in star-rating campaigns (街道/社区评分)"),
    )
    CAMPAIGN_APPROVE = (
        "campaign_approve",
        _("Approve star-rating and 文明商家 results (评审委员会)"),
    )
    VIEW_COMMAND_CENTRE = (
        "view_command_centre",
        _("See the command centre: 大屏, map, evaluation, rankings, leaders' reports"),
    )
    CONFIGURE_EVALUATION = (
        "configure_evaluation",
        _("Set the weights of the evaluation (综合指标值)"),
    )
    VIEW_POSITIONS = (
        "view_positions",
        _("See where on-duty patrol staff are and their tracks (itself recorded)"),
    )
    APPROVE_RESET = (
        "approve_reset",
        _("Approve a reset of an administrator's or a leader's account (second approval)"),
    )


EVERY_WORKING_POST = frozenset(
    {
        P.INTAKE,
        P.DISPATCHER,
        P.SHIFT_LEAD,
        P.INSPECTOR,
        P.OFFICER,
        P.SQUAD_LEADER,
        P.LEGAL_REVIEWER,
        P.LEADER,
        P.HANDLER,
    }
)

# Who may do what. The three administrators are deliberately disjoint (三员分立):
# the system administrator configures but neither manages accounts nor reads audit
# records; the security administrator manages accounts and posts only; the audit
# administrator reads audit records and changes nothing.
MATRIX: dict[Action, frozenset[PostCode]] = {
    Action.VIEW_ORGANISATION: EVERY_WORKING_POST | {P.SYSTEM_ADMIN, P.SECURITY_ADMIN},
    Action.VIEW_STAFF_CONTACTS: frozenset(
        {P.SHIFT_LEAD, P.DISPATCHER, P.SQUAD_LEADER, P.LEADER, P.SECURITY_ADMIN}
    ),
    Action.CONFIGURE_SYSTEM: frozenset({P.SYSTEM_ADMIN}),
    Action.MANAGE_ACCOUNTS: frozenset({P.SECURITY_ADMIN}),
    Action.READ_AUDIT_LOG: frozenset({P.AUDIT_ADMIN}),
    Action.READ_RECORDS: EVERY_WORKING_POST,
    # The administrators have no business need to read reports and cases (三员分立;
    # 等保2.0 GB/T 22239-2019 8.1.4.2 c 最小权限).
    Action.VIEW_WORK: EVERY_WORKING_POST,
    Action.REVEAL_PERSONAL_DATA: frozenset(
        {P.SHIFT_LEAD, P.SQUAD_LEADER, P.LEGAL_REVIEWER, P.LEADER, P.AUDIT_ADMIN}
    ),
    Action.ADD_EVIDENCE: EVERY_WORKING_POST,
    Action.REPORT_ACCEPT: frozenset({P.INTAKE, P.SHIFT_LEAD}),
    Action.REPORT_DISPATCH: frozenset({P.DISPATCHER, P.SHIFT_LEAD}),
    Action.REPORT_HANDLE: frozenset({P.HANDLER, P.OFFICER, P.SQUAD_LEADER}),
    Action.REPORT_PATROL: frozenset({P.INSPECTOR, P.OFFICER, P.SQUAD_LEADER}),
    Action.REPORT_VERIFY: frozenset({P.INSPECTOR}),
    Action.REPORT_APPROVE_DELAY: frozenset({P.SHIFT_LEAD}),
    Action.REPORT_CLOSE: frozenset({P.SHIFT_LEAD}),
    Action.REPORT_SUPERVISE: frozenset({P.SHIFT_LEAD, P.LEADER}),
    Action.CASE_INVESTIGATE: frozenset({P.OFFICER, P.SQUAD_LEADER}),
    Action.CASE_APPROVE: frozenset({P.SQUAD_LEADER, P.LEADER}),
    Action.CASE_LEGAL_REVIEW: frozenset({P.LEGAL_REVIEWER}),
    Action.CASE_DECIDE: frozenset({P.LEADER}),
    # The legal office (法制机构) reviews what is published (国办发〔2018〕118号).
    Action.DISCLOSURE_PUBLISH: frozenset({P.LEGAL_REVIEWER}),
    # Shop fronts are the patrol's work: grid inspectors and enforcement officers.
    Action.MERCHANT_MANAGE: frozenset({P.INSPECTOR, P.OFFICER, P.SQUAD_LEADER}),
    # The legal office decides credit repairs (上海城管 信用修复 practice).
    Action.CREDIT_DECIDE: frozenset({P.LEGAL_REVIEWER}),
    # Sub-districts and communities are handling units of the loop: their staff hold
    # the handler post, and score the shops of their own sub-district.
    Action.CAMPAIGN_STREET_SCORE: frozenset({P.HANDLER}),
    # The bureau leader signs the committee's (评审委员会) approval of campaign results.
    Action.CAMPAIGN_APPROVE: frozenset({P.LEADER}),
    # The 数字化中心: the shift leader and dispatchers on duty and the bureau's leaders.
    Action.VIEW_COMMAND_CENTRE: frozenset({P.SHIFT_LEAD, P.DISPATCHER, P.LEADER}),
    Action.CONFIGURE_EVALUATION: frozenset({P.LEADER}),
    # Positions are personal data (个人信息保护法 art 6, minimum necessary): the posts that
    # steer the patrols, configured by the bureau (YANGGUANG_POSITION_VIEWER_POSTS).
    Action.VIEW_POSITIONS: frozenset(PostCode(code) for code in settings.POSITION_VIEWER_POSTS),
    # A second pair of eyes on resets the security administrator asks for (org/resets.py):
    # never the one who asked, never the account's owner.
    Action.APPROVE_RESET: frozenset({P.SYSTEM_ADMIN, P.SECURITY_ADMIN}),
}

# Posts that may open the Django admin (系统配置): only the two administrators who
# change configuration or accounts there. The audit administrator reads the audit
# pages of the back office instead.
ADMIN_SITE_POSTS = frozenset({P.SYSTEM_ADMIN, P.SECURITY_ADMIN})


def permission_name(action: Action | str) -> str:
    return f"yangguang.{action}"


def holds_any(posts: frozenset[PostCode]) -> rules.Predicate:
    @rules.predicate(name=f"holds_any({','.join(sorted(posts))})")
    def predicate(user) -> bool:
        return bool(user_post_codes(user) & posts)

    return predicate


for _action, _posts in MATRIX.items():
    rules.add_perm(permission_name(_action), holds_any(_posts))

rules.add_perm("yangguang.access_admin", holds_any(ADMIN_SITE_POSTS))

# Posts that work on enforcement cases: any case action (the case pages' menu entry).
CASE_POSTS = frozenset().union(
    *(
        MATRIX[action]
        for action in (
            Action.CASE_INVESTIGATE,
            Action.CASE_APPROVE,
            Action.CASE_LEGAL_REVIEW,
            Action.CASE_DECIDE,
        )
    )
)
rules.add_perm("yangguang.work_cases", holds_any(CASE_POSTS))


def allowed(user, action: Action) -> bool:
    return user.has_perm(permission_name(action))
