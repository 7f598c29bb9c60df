"""Every action code the record log accepts, with its label. One place, so a typo in a
service fails loudly and the timeline can name each action in the user's language.

Codes are dotted: ``<domain>.<object>.<verb>``. Later modules add theirs here.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # Sign-in (audit administrator only)
    "auth.login": _("Logged in"),
    "auth.login_failed": _("Failed login attempt"),
    "auth.logout": _("Logged out"),
    # Organisation
    "org.unit.create": _("Unit created"),
    "org.unit.update": _("Unit changed"),
    "org.user.create": _("Account created"),
    "org.user.update": _("Account changed"),
    "org.user.posts": _("Posts changed"),
    "org.user.password": _("Password changed"),
    "org.certificate.add": _("Enforcement certificate recorded"),
    "org.certificate.update": _("Enforcement certificate changed"),
    "org.certificate.delete": _("Enforcement certificate removed"),
    # Configuration without rules of its own (ranks, handling-unit types, posts …)
    "config.create": _("Configuration added"),
    "config.update": _("Configuration changed"),
    "config.delete": _("Configuration removed"),
    # Grids, categories, calendar
    "grids.import": _("Grid imported from a boundary file"),
    "grids.grid.update": _("Grid changed"),
    "grids.grid.delete": _("Grid deleted"),
    "categories.import": _("Category imported from a code-set file"),
    "categories.category.configure": _("Category configured"),
    "worktime.calendar.import": _("Calendar imported"),
    "worktime.calendar.provisional": _("Provisional calendar created"),
    "worktime.year.set": _("Calendar year changed"),
    "worktime.year.delete": _("Calendar year removed"),
    "worktime.day.set": _("Special day set"),
    "worktime.day.delete": _("Special day removed"),
    "worktime.periods.set": _("Working hours changed"),
    # Reports (the 数字城管 loop)
    "report.submit": _("Report received"),
    "report.accept": _("Registered"),
    "report.reject": _("Not registered"),
    "report.void": _("Voided"),
    "report.answer": _("Answered and closed"),
    "report.merge": _("Merged into another report"),
    "report.merged_in": _("Another report merged in"),
    "report.dispatch": _("Dispatched"),
    "report.return": _("Returned to the dispatcher"),
    "report.claim": _("Taken on by the handling unit"),
    "report.request_delay": _("Extension requested"),
    "report.request_shelve": _("Shelving requested"),
    "report.approve_delay": _("Extension approved"),
    "report.refuse_delay": _("Extension refused"),
    "report.approve_shelve": _("Shelving approved"),
    "report.refuse_shelve": _("Shelving refused"),
    "report.resume": _("Handling resumed"),
    "report.handle": _("Handling reported done"),
    "report.hand_over": _("Handed over to an enforcement case"),
    "report.verify_pass": _("Verified on site"),
    "report.verify_fail": _("Sent back for rework"),
    "report.close": _("Closed"),
    "report.reopen": _("Reopened"),
    "report.reply": _("Reporter answered"),
    "report.public_summary": _("Public summary changed"),
    "report.note": _("Note added"),
    "report.rate": _("Rated by the reporter"),
    "report.supervise": _("Supervision order issued"),
    "report.supervision_reply": _("Supervision order answered"),
    "report.deadline": _("Time-limit light changed"),
    # Enforcement cases (行政处罚)
    "cases.catalogue.import": _("Violation catalogue imported"),
    "case.open": _("Case opened"),
    "case.facts": _("Facts and party recorded"),
    "case.assess": _("Violation and discretion assessed"),
    "case.decide_on_the_spot": _("Decided on the spot (简易程序)"),
    "case.record_filing": _("Summary decision filed with the bureau"),
    "case.file": _("Filing approved (立案)"),
    "case.refuse_filing": _("Not filed"),
    "case.preserve": _("Evidence preserved (先行登记保存)"),
    "case.decide_preserved": _("Preserved evidence decided on"),
    "case.end_investigation": _("Investigation ended"),
    "case.review": _("Reviewed"),
    "case.send_back": _("Sent back for further investigation"),
    "case.legal_review": _("Legal review done"),
    "case.legal_return": _("Returned by the legal review"),
    "case.discuss": _("Collective discussion held"),
    "case.notify": _("Prior notice served"),
    "case.record_statement": _("Statement and defence recorded"),
    "case.waive_rights": _("Party waived statement and hearing"),
    "case.request_hearing": _("Hearing requested"),
    "case.schedule_hearing": _("Hearing scheduled"),
    "case.hold_hearing": _("Hearing held"),
    "case.extend_decision": _("Decision period extended"),
    "case.decide": _("Decided"),
    "case.withdraw": _("Withdrawn"),
    "case.transfer": _("Transferred"),
    "case.serve": _("Decision served"),
    "case.defer_payment": _("Payment deferred"),
    "case.record_payment": _("Payment recorded"),
    "case.record_remedy": _("Reconsideration or lawsuit recorded"),
    "case.remind": _("Reminder served"),
    "case.apply_to_court": _("Applied to the court"),
    "case.close": _("Closed"),
    "case.archive": _("Archived"),
    "case.write_record": _("Record or order written"),
    "case.party_link": _("Link sent to the party"),
    "case.party_statement": _("Statement sent by the party"),
    "case.electronic_consent": _("Party consented to electronic service"),
    # Evidence and the record itself
    "evidence.store": _("Evidence stored"),
    "evidence.attach": _("Evidence attached"),
    "record.personal_data.view": _("Personal data in a record viewed"),
    "record.export": _("Record printed"),
}

# Entries only the audit administrator reads: sign-ins, accounts and posts.
AUDIT_ONLY_PREFIXES = ("auth.", "org.user.", "record.personal_data.")


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))
