"""The 执法公示卡 download (org/card.py), for the security administrator, from the
staff and certificates page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from yangguang.org.card import card_pdf
from yangguang.org.models import Certificate
from yangguang.org.rules import Action, permission_name
from yangguang.org.selectors import staff_visible_to


@login_required
@permission_required(permission_name(Action.MANAGE_ACCOUNTS), raise_exception=True)
@require_GET
def officer_card(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The card as PDF: ``?layout=a4`` (default, front and back with crop marks) or
    ``card`` (one card-size page per side). A certificate not valid today gets none."""
    certificate = (
        Certificate.objects.select_related("holder", "holder__unit", "holder__rank")
        .filter(pk=certificate_id, holder__in=staff_visible_to(request.user))
        .first()
    )
    if certificate is None:
        raise Http404
    try:
        content = card_pdf(
            certificate=certificate,
            day=timezone.localdate(),
            layout=request.GET.get("layout", "a4"),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("backoffice:staff")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="card-{certificate.pk}.pdf"'
    return response
