"""Staff pages of the whole-process record: an object's timeline with its evidence, the
evidence upload, one entry (with its personal data revealed, which is itself recorded),
the printable record, and the audit administrator's list, daily digests and checks of
the chain (run by the worker, followed here)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yangguang.backoffice.forms import AuditFilterForm, EvidenceForm
from yangguang.org.rules import Action, permission_name
from yangguang.records.actions import ACTIONS
from yangguang.records.digests import digests_csv
from yangguang.records.enums import EvidenceKind, RecordingScene
from yangguang.records.evidence import Recording, evidence_add
from yangguang.records.models import VerificationRun
from yangguang.records.pdf import record_pdf
from yangguang.records.presenters import present, present_all
from yangguang.records.registry import object_for_user, pk_or_404, registration, target_for
from yangguang.records.selectors import (
    digests,
    evidence_of,
    get_entry_for_user,
    get_evidence_for_user,
    is_auditor,
    records_of,
    records_visible_to,
)
from yangguang.records.services import record_export, record_personal_data_view
from yangguang.records.verification import verification_request, verification_runs

READ_RECORDS = permission_name(Action.READ_RECORDS)
ADD_EVIDENCE = permission_name(Action.ADD_EVIDENCE)
REVEAL = permission_name(Action.REVEAL_PERSONAL_DATA)
AUDIT = permission_name(Action.READ_AUDIT_LOG)
INLINE_KINDS = {EvidenceKind.PHOTO, EvidenceKind.AUDIO, EvidenceKind.VIDEO}


def _may_read_records(request: HttpRequest) -> None:
    if not (request.user.has_perm(READ_RECORDS) or is_auditor(request.user)):
        raise PermissionDenied


def _target(request: HttpRequest, object_type: str, object_id: str):
    _may_read_records(request)
    obj = object_for_user(user=request.user, object_type=object_type, object_id=object_id)
    return obj, target_for(obj)


@login_required
@require_GET
def timeline(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    obj, target = _target(request, object_type, object_id)
    return _render_timeline(request, obj, target, EvidenceForm(user=request.user))


def _render_timeline(
    request, obj, target, form, *, status: int = 200, upload_error: str = ""
) -> HttpResponse:
    entries = present_all(records_of(user=request.user, target=target))
    links = list(evidence_of(target=target))
    context = {
        "object": obj,
        "target": target,
        "object_label": obj._meta.verbose_name,
        "entries": entries,
        "links": links,
        "form": form if request.user.has_perm(ADD_EVIDENCE) else None,
        "upload_error": upload_error,
        "limits": {
            kind.label: filesizeformat(settings.EVIDENCE_MAX_BYTES[kind]) for kind in EvidenceKind
        },
    }
    return render(request, "backoffice/timeline.html", context, status=status)


@login_required
@permission_required(ADD_EVIDENCE, raise_exception=True)
@require_POST
def evidence_upload(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    # Refuse an oversized request before its body is read.
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    largest = max(settings.EVIDENCE_MAX_BYTES.values())
    obj, target = _target(request, object_type, object_id)
    if length > largest + 1024 * 1024:
        message = _("The upload is %(size)s; the largest evidence file allowed is %(limit)s.") % {
            "size": filesizeformat(length),
            "limit": filesizeformat(largest),
        }
        form = EvidenceForm(user=request.user)
        return _render_timeline(request, obj, target, form, status=413, upload_error=message)
    form = EvidenceForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        recording = None
        if data.get("device"):
            recording = Recording(
                device=data["device"],
                recorder=data.get("recorder"),
                started_at=data["recording_started_at"],
                ended_at=data["recording_ended_at"],
                scene=data["scene"] or RecordingScene.SCENE,
                scene_note=data.get("scene_note", ""),
            )
        upload = data["file"]
        try:
            evidence = evidence_add(
                upload=upload,
                name=upload.name,
                target=target,
                actor=request.user,
                note=data.get("note", ""),
                recording=recording,
                require_recording=True,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Stored %(name)s (SHA-256 %(sha)s…).")
                % {"name": evidence.original_name, "sha": evidence.sha256[:16]},
            )
            return redirect(reverse("backoffice:timeline", args=[object_type, object_id]))
    return _render_timeline(request, obj, target, form, status=400)


@login_required
def entry(request: HttpRequest, sequence: int) -> HttpResponse:
    """One entry. POST reveals its personal data, and records that it was revealed."""
    found = get_entry_for_user(user=request.user, sequence=sequence)
    revealed = False
    if request.method == "POST":
        if not request.user.has_perm(REVEAL):
            raise PermissionDenied
        record_personal_data_view(
            entry=found, actor=request.user, reason=request.POST.get("reason", "")[:200]
        )
        revealed = True
    template = "backoffice/entry.html"
    if request.htmx:
        template = "backoffice/_entry.html"
    return render(request, template, {"view": present(found, revealed=revealed)})


@login_required
@require_GET
def timeline_pdf(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    obj, target = _target(request, object_type, object_id)
    entries = present_all(records_of(user=request.user, target=target))
    record_export(target=target, actor=request.user, entries=len(entries))
    content = record_pdf(
        title=_("Record of %(object)s") % {"object": target.object_repr},
        object_label=str(obj._meta.verbose_name),
        target=target,
        entries=entries,
        evidence=list(evidence_of(target=target)),
        printed_by=request.user.name,
        printed_at=timezone.localtime(),
    )
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"record-{object_type}-{object_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def evidence_detail(request: HttpRequest, sha256: str) -> HttpResponse:
    evidence = get_evidence_for_user(user=request.user, sha256=sha256)
    links = list(evidence.links.all())
    for link in links:
        # "报件 #12", not the internal type name "reports.report".
        found = registration(link.object_type)
        link.label = found.model._meta.verbose_name if found else link.object_type
    return render(
        request,
        "backoffice/evidence.html",
        {
            "evidence": evidence,
            "links": links,
            "inline": evidence.kind in INLINE_KINDS,
        },
    )


@login_required
@require_GET
def evidence_file(request: HttpRequest, sha256: str) -> FileResponse:
    evidence = get_evidence_for_user(user=request.user, sha256=sha256)
    handle = storages["evidence"].open(evidence.storage_name, "rb")
    return FileResponse(
        handle,
        content_type=evidence.mime_type,
        as_attachment=evidence.kind not in INLINE_KINDS,
        filename=evidence.original_name or evidence.sha256,
    )


@login_required
@permission_required(AUDIT, raise_exception=True)
def audit(request: HttpRequest) -> HttpResponse:
    """Every record entry, newest first, with filters."""
    form = AuditFilterForm(request.GET or None, actions=sorted(ACTIONS))
    entries = records_visible_to(request.user).order_by("-sequence")
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            entries = entries.filter(
                Q(actor_name__icontains=data["q"]) | Q(object_repr__icontains=data["q"])
            )
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("since"):
            entries = entries.filter(recorded_at__date__gte=data["since"])
        if data.get("until"):
            entries = entries.filter(recorded_at__date__lte=data["until"])
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/audit.html",
        {"form": form, "page": page, "entries": present_all(page.object_list)},
    )


@login_required
@permission_required(AUDIT, raise_exception=True)
def audit_digests(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(digests_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="record-digests.csv"'
        return response
    page = Paginator(digests(), 60).get_page(request.GET.get("page"))
    return render(request, "backoffice/digests.html", {"page": page})


@login_required
@permission_required(AUDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask the worker to check the chain (recorded), and the checks asked for so far."""
    if request.method == "POST":
        run = verification_request(actor=request.user, evidence=request.POST.get("evidence") == "1")
        return redirect("backoffice:verification", run.pk)
    return render(request, "backoffice/verify.html", {"runs": verification_runs()})


@login_required
@permission_required(AUDIT, raise_exception=True)
@require_GET
def verification(request: HttpRequest, run_id: int) -> HttpResponse:
    """One check: its progress while the worker runs it (the page refreshes itself),
    then its result."""
    run = get_object_or_404(
        VerificationRun.objects.select_related("requested_by"), pk=pk_or_404(run_id)
    )
    return render(request, "backoffice/verification.html", {"run": run})
