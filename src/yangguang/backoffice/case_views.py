"""Staff pages of enforcement cases (网上办案): the list, opening a case, the case with
its deadlines, documents and the steps the viewer may take, the violation assessment,
and the downloads (documents as PDF and .docx, the electronic case file).

A refused step shows its reason, with the article, on the page (HTTP 409)."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yangguang.backoffice.case_forms import (
    AssessForm,
    CaseFilterForm,
    CaseOpenForm,
    CaseVerbForm,
    WrittenRecordForm,
)
from yangguang.backoffice.form_errors import errors_onto
from yangguang.cases.context import ProcedureRefused
from yangguang.cases.discretion import Proposal
from yangguang.cases.models import Case, CaseDocument
from yangguang.cases.moves import MOVES
from yangguang.cases.procedure import allowed_verbs, case_transition
from yangguang.cases.render import case_file_pdf, document_docx, document_pdf
from yangguang.cases.selectors import cases_visible_to, get_case_for_user, may_see_party
from yangguang.cases.services import (
    NewCase,
    Party,
    case_assess,
    case_open,
)
from yangguang.core.privacy import mask_id_number, mask_name, mask_phone
from yangguang.org.rules import Action, permission_name
from yangguang.records.services import record_export

WORK_CASES = "yangguang.work_cases"
IMPORTED = gettext_lazy(
    "Violation catalogue: %(added)d added, %(changed)d changed, %(unchanged)d unchanged."
)
CASE_NUMBER = re.compile(r"^[A-Z]?\d{4}-\d+$")


@login_required
@permission_required(WORK_CASES, raise_exception=True)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    cases = cases_visible_to(request.user).order_by("-created_at", "-pk")
    if form.is_valid():
        if form.cleaned_data["status"]:
            cases = cases.filter(status=form.cleaned_data["status"])
        if query := form.cleaned_data["q"].strip():
            if CASE_NUMBER.match(query):
                # A case number: the unique index answers (a title search scans).
                cases = cases.filter(number__startswith=query)
            else:
                cases = cases.filter(Q(number__startswith=query) | Q(title__contains=query))
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    for case in page:
        case.party_shown = mask_name(case.party_name)
    return render(request, "backoffice/cases/list.html", {"form": form, "page": page})


@login_required
@permission_required(permission_name(Action.CASE_INVESTIGATE), raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    form = CaseOpenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_open(
                data=NewCase(
                    procedure=data["procedure"],
                    source=data["source"],
                    title=data["title"],
                    facts=data["facts"],
                    place=data["place"],
                    act_started_on=data["act_started_on"],
                    act_ended_on=data["act_ended_on"],
                    discovered_on=data["discovered_on"],
                    harmed_safety=data["harmed_safety"],
                    complex_case=data["complex_case"],
                    violation=data["violation"],
                    report_id=data["report_number"],
                    officers=[(request.user, ""), (data["partner"], "")],
                    party=Party(
                        kind=data["party_kind"],
                        name=data["party_name"],
                        id_number=data["party_id_number"],
                        credit_code=data["party_credit_code"],
                        representative=data["party_representative"],
                        phone=data["party_phone"],
                        address=data["party_address"],
                    ),
                ),
                actor=request.user,
            )
        except ValidationError as error:
            # The partner is the form's only choice of officer: 第四十二条 speaks of them.
            errors_onto(form, error, renamed={"officers": "partner"})
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("backoffice:case", case_id=case.pk)
    status = 400 if form.errors else 200
    return render(request, "backoffice/cases/new.html", {"form": form}, status=status)


def _party(case: Case, user) -> dict:
    full = may_see_party(user, case)
    return {
        "name": case.party_name if full else mask_name(case.party_name),
        "id_number": case.party_id_number if full else mask_id_number(case.party_id_number),
        "credit_code": case.party_credit_code,
        "representative": case.party_representative,
        "phone": case.party_phone if full else mask_phone(case.party_phone),
        "address": case.party_address if full else "",
        "full": full,
    }


def _render_case(request: HttpRequest, case: Case, *, status: int = 200, forms=None):
    forms = forms or {}
    verbs = [
        (verb, MOVES[verb].label, forms.get(verb) or CaseVerbForm(verb=verb))
        for verb in allowed_verbs(case, request.user)
    ]
    editable = case.status in {"proposed", "investigating"} and request.user.has_perm(
        permission_name(Action.CASE_INVESTIGATE)
    )
    context = {
        "case": case,
        "party": _party(case, request.user),
        "proposal": Proposal.from_json(case.proposal),
        "officers": case.officers.select_related("user"),
        "violations": case.violations.select_related("violation"),
        "editable": editable,
        "deadlines": case.deadlines.exclude(state="cancelled"),
        "documents": case.documents.all(),
        "instalments": case.instalments.all(),
        "party_link_locked": case.party_links.filter(
            revoked_at__isnull=True, locked_at__isnull=False
        ).exists(),
        "verbs": verbs,
        "assess_form": forms.get("assess")
        or (AssessForm(initial=_assess_initial(case)) if editable else None),
        "record_form": forms.get("record") or (WrittenRecordForm() if editable else None),
    }
    return render(request, "backoffice/cases/detail.html", context, status=status)


def _assess_initial(case: Case) -> dict:
    circumstances = case.circumstances or {}
    return {
        "violation": case.violation_id,
        "circumstances": [k for k, v in circumstances.items() if v is True],
        "harm": circumstances.get("harm", "minor"),
        "quantity": case.quantity,
        "penalty_kinds": case.penalty_kinds,
        "fine": case.fine or None,
        "departure_reason": case.departure_reason,
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return _render_case(request, get_case_for_user(user=request.user, case_id=case_id))


@login_required
@require_POST
def case_assess_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(user=request.user, case_id=case_id)
    form = AssessForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, status=400, forms={"assess": form})
    data = form.cleaned_data
    circumstances = dict.fromkeys(data["circumstances"], True) | {"harm": data["harm"]}
    try:
        case_assess(
            case_id=case.pk,
            actor=request.user,
            violation=data["violation"],
            circumstances=circumstances,
            quantity=data["quantity"],
            penalty_kinds=data["penalty_kinds"],
            fine=data["fine"] if data["fine"] is not None else None,
            departure_reason=data["departure_reason"],
            additional=data["additional"],
        )
    except ValidationError as error:
        errors_onto(form, error)
        return _render_case(request, case, status=400, forms={"assess": form})
    except ProcedureRefused as refusal:
        messages.error(request, refusal.reason)
        return _render_case(request, case, status=409, forms={"assess": form})
    messages.success(request, _("Assessment saved."))
    return redirect("backoffice:case", case_id=case.pk)


@login_required
@require_POST
def case_act(request: HttpRequest, case_id: int, verb: str) -> HttpResponse:
    """One step of the procedure. A refusal shows its reason on the page (HTTP 409)."""
    case = get_case_for_user(user=request.user, case_id=case_id)
    if verb not in MOVES:
        raise Http404
    form = CaseVerbForm(request.POST, verb=verb)
    if not form.is_valid():
        return _render_case(request, case, status=400, forms={verb: form})
    reason, data = form.payload()
    if "hearing_at" in data:
        data["hearing_at"] = timezone.make_aware(data["hearing_at"].replace(tzinfo=None))
    try:
        case = case_transition(
            case_id=case.pk, verb=verb, actor=request.user, reason=reason, **data
        )
    except ProcedureRefused as refusal:
        messages.error(request, refusal.reason)
        return _render_case(request, Case.objects.get(pk=case.pk), status=409, forms={verb: form})
    messages.success(
        request,
        _("%(number)s: %(verb)s done.") % {"number": case.number, "verb": MOVES[verb].label},
    )
    return redirect("backoffice:case", case_id=case.pk)


def _document_for_user(request: HttpRequest, document_id: int) -> CaseDocument:
    document = CaseDocument.objects.filter(pk=document_id).select_related("case").first()
    if document is None:
        raise Http404
    case = get_case_for_user(user=request.user, case_id=document.case_id)  # 404 outside scope
    if not may_see_party(request.user, case):
        raise PermissionDenied  # documents name the party in full
    return document


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
@require_GET
def document_download(request: HttpRequest, document_id: int, fmt: str) -> HttpResponse:
    from urllib.parse import quote

    document = _document_for_user(request, document_id)
    stem = quote(f"{document.case.number}-{document.title}")
    if fmt == "pdf":
        return _download(document_pdf(document), f"{stem}.pdf", "application/pdf")
    if fmt == "docx":
        return _download(
            document_docx(document),
            f"{stem}.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    raise Http404


@login_required
@require_GET
def case_file(request: HttpRequest, case_id: int) -> HttpResponse:
    """The electronic case file, printed: recorded like any print of the record."""
    from urllib.parse import quote

    case = get_case_for_user(user=request.user, case_id=case_id)
    if not may_see_party(request.user, case):
        raise PermissionDenied  # the case file names the party in full
    content = case_file_pdf(case, revealed=True)
    record_export(target=_target(case), actor=request.user, entries=case.documents.count())
    return _download(content, quote(f"{case.number}-案卷.pdf"), "application/pdf")


def _target(case: Case):
    from yangguang.records.registry import target_for

    return target_for(case)


@login_required
@require_POST
def case_party_link(request: HttpRequest, case_id: int) -> HttpResponse:
    """Send the party their link (非接触式执法) by text message."""
    from yangguang.cases.party import party_access_issue

    case = get_case_for_user(user=request.user, case_id=case_id)
    try:
        party_access_issue(case_id=case.pk, actor=request.user)
    except ProcedureRefused as refusal:
        messages.error(request, refusal.reason)
        return _render_case(request, case, status=409)
    messages.success(request, _("The link has been sent to the party's phone."))
    return redirect("backoffice:case", case_id=case.pk)


@login_required
@permission_required(WORK_CASES, raise_exception=True)
@require_GET
def deadline_board(request: HttpRequest) -> HttpResponse:
    """Every running deadline of the cases in the viewer's scope, soonest first."""
    from yangguang.cases.deadlines import deadlines_running_for, light

    now = timezone.now()
    page = Paginator(deadlines_running_for(request.user), 100).get_page(request.GET.get("page"))
    rows = [(deadline, light(deadline, now)) for deadline in page]
    return render(request, "backoffice/cases/deadlines.html", {"page": page, "rows": rows})


@login_required
@require_POST
def case_record(request: HttpRequest, case_id: int) -> HttpResponse:
    """An officer writes a 询问笔录, 现场检查笔录 or 责令改正通知书."""
    from yangguang.cases.services import case_write_record

    case = get_case_for_user(user=request.user, case_id=case_id)
    form = WrittenRecordForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, status=400, forms={"record": form})
    try:
        document = case_write_record(case_id=case.pk, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        errors_onto(form, error)
        return _render_case(request, case, status=400, forms={"record": form})
    except ProcedureRefused as refusal:
        messages.error(request, refusal.reason)
        return _render_case(request, case, status=409, forms={"record": form})
    messages.success(request, _("%(title)s issued.") % {"title": document.title})
    return redirect("backoffice:case", case_id=case.pk)


def _may_read_catalogue(user) -> bool:
    return user.has_perm(WORK_CASES) or user.has_perm(permission_name(Action.CONFIGURE_SYSTEM))


@login_required
@require_http_methods(["GET", "POST"])
def violation_catalogue(request: HttpRequest) -> HttpResponse:
    """The violation catalogue with its discretion standards (published, 第三十四条);
    the system administrator changes it by uploading an edited workbook."""
    from yangguang.cases.catalogue import CatalogueError, catalogue_save, items_from_xlsx
    from yangguang.cases.selectors import violations_current

    if not _may_read_catalogue(request.user):
        raise PermissionDenied
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not request.user.has_perm(permission_name(Action.CONFIGURE_SYSTEM)):
            raise PermissionDenied
        upload = request.FILES.get("workbook")
        try:
            if upload is None:
                raise CatalogueError([_("Choose the .xlsx workbook to import.")])
            if upload.size > settings.IMPORT_MAX_BYTES:
                raise CatalogueError(
                    [
                        _("The file is larger than %(max)d bytes.")
                        % {"max": settings.IMPORT_MAX_BYTES}
                    ]
                )
            counts = catalogue_save(
                items=items_from_xlsx(upload), actor=request.user, source=upload.name
            )
        except CatalogueError as error:
            problems, status = error.problems, 400
        else:
            messages.success(request, IMPORTED % counts)
            return redirect("backoffice:violations")
    context = {
        "violations": violations_current().order_by("code"),
        "problems": problems,
        "may_import": request.user.has_perm(permission_name(Action.CONFIGURE_SYSTEM)),
    }
    return render(request, "backoffice/cases/violations.html", context, status=status)


@login_required
@require_GET
def violation_catalogue_xlsx(request: HttpRequest) -> HttpResponse:
    from yangguang.cases.catalogue import catalogue_xlsx
    from yangguang.cases.selectors import violations_current

    if not _may_read_catalogue(request.user):
        raise PermissionDenied
    return _download(
        catalogue_xlsx(violations_current().order_by("code")),
        "violations.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_POST
def case_violation_remove_view(request: HttpRequest, case_id: int, code: str) -> HttpResponse:
    """Take one of the case's other acts off it."""
    from yangguang.cases.models import Violation
    from yangguang.cases.services import case_violation_remove

    case = get_case_for_user(user=request.user, case_id=case_id)
    violation = Violation.objects.filter(code=code, is_current=True).first()
    if violation is None:
        raise Http404
    try:
        case_violation_remove(case_id=case.pk, actor=request.user, violation=violation)
    except (ValidationError, ProcedureRefused) as error:
        messages.error(request, getattr(error, "reason", None) or " ".join(error.messages))
        return _render_case(request, case, status=409)
    return redirect("backoffice:case", case_id=case.pk)
