"""The legal office's pages for publishing decisions (事后公开): the queue with its
deadline lights, and one publication with the public text to correct, approve, refuse
or withdraw. The rules live in ``disclosure.services``; a refusal shows its reason
(HTTP 409), a text holding personal data its problems (HTTP 400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yangguang.backoffice.publication_forms import (
    PublicationEditForm,
    PublicationFilterForm,
    PublicationRefuseForm,
    PublicationWithdrawForm,
)
from yangguang.disclosure.enums import PublicationStatus
from yangguang.disclosure.models import Publication
from yangguang.disclosure.selectors import (
    publication_figures,
    publication_light,
    publications_for,
)
from yangguang.disclosure.services import (
    PublicationRefused,
    publication_approve,
    publication_edit,
    publication_refuse,
    publication_withdraw,
)
from yangguang.org.rules import Action, allowed, permission_name

VIEW_WORK = permission_name(Action.VIEW_WORK)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def publication_list(request: HttpRequest) -> HttpResponse:
    form = PublicationFilterForm(request.GET or None)
    publications = publications_for(request.user)
    if form.is_valid() and form.cleaned_data["status"]:
        publications = publications.filter(status=form.cleaned_data["status"])
    page = Paginator(publications, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    for publication in page:
        publication.light = publication_light(publication, now)
    figures = publication_figures(request.user, now)
    return render(
        request,
        "backoffice/publications/list.html",
        {"form": form, "page": page, "figures": figures},
    )


def _publication(request: HttpRequest, publication_id: int) -> Publication:
    publication = publications_for(request.user).filter(pk=publication_id).first()
    if publication is None:
        raise Http404
    return publication


def _render(request, publication, *, status=200, **forms) -> HttpResponse:
    may_act = allowed(request.user, Action.DISCLOSURE_PUBLISH)
    proposed = publication.status == PublicationStatus.PROPOSED
    context = {
        "publication": publication,
        "light": publication_light(publication, timezone.now()),
        "may_act": may_act,
        "edit_form": forms.get("edit")
        or PublicationEditForm(
            initial={name: getattr(publication, name) for name in PublicationEditForm.base_fields}
        ),
        "refuse_form": forms.get("refuse") or PublicationRefuseForm(),
        "withdraw_form": forms.get("withdraw") or PublicationWithdrawForm(),
        "proposed": proposed,
        "published": publication.status == PublicationStatus.PUBLISHED,
    }
    return render(request, "backoffice/publications/detail.html", context, status=status)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def publication_detail(request: HttpRequest, publication_id: int) -> HttpResponse:
    return _render(request, _publication(request, publication_id))


@login_required
@permission_required(permission_name(Action.DISCLOSURE_PUBLISH), raise_exception=True)
@require_POST
def publication_act(request: HttpRequest, publication_id: int, step: str) -> HttpResponse:
    publication = _publication(request, publication_id)
    forms = {
        "edit": PublicationEditForm,
        "refuse": PublicationRefuseForm,
        "withdraw": PublicationWithdrawForm,
    }
    if step not in (*forms, "approve"):
        raise Http404
    form = forms[step](request.POST) if step in forms else None
    if form is not None and not form.is_valid():
        return _render(request, publication, status=400, **{step: form})
    data = form.cleaned_data if form is not None else {}
    try:
        if step == "edit":
            publication_edit(publication_id=publication.pk, actor=request.user, **data)
        elif step == "approve":
            publication_approve(publication_id=publication.pk, actor=request.user)
        elif step == "refuse":
            publication_refuse(publication_id=publication.pk, actor=request.user, **data)
        else:
            publication_withdraw(publication_id=publication.pk, actor=request.user, **data)
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        return _render(request, _publication(request, publication_id), status=400, **{step: form})
    except PublicationRefused as refusal:
        messages.error(request, refusal.reason)
        return _render(request, _publication(request, publication_id), status=409)
    messages.success(request, _("%(number)s: done.") % {"number": publication.document_number})
    return redirect("backoffice:publication", publication_id=publication.pk)
