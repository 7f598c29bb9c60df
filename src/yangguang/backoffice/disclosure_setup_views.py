"""The system administrator's pages for what the bureau publishes before enforcement
(事前公开): the bureau's profile, and new versions of the 随机抽查事项清单 typed or
pasted into the form or uploaded as a workbook. The rules live in
``disclosure.before``; a refused version lists every bad row (HTTP 400)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yangguang.disclosure.before import (
    NOTE_MAX,
    PROFILE_FIELDS,
    ListRefused,
    bureau_profile_save,
    columns_of,
    list_version_publish,
    rows_from_text,
    rows_from_xlsx,
)
from yangguang.disclosure.enums import ListKind
from yangguang.disclosure.models import BureauProfile, ListVersion
from yangguang.disclosure.selectors import bureau_profile
from yangguang.org.rules import Action, permission_name

CONFIGURE_SYSTEM = permission_name(Action.CONFIGURE_SYSTEM)
KIND = ListKind.RANDOM_INSPECTION
TEXT_MAX = 200_000


class ProfileForm(forms.Form):
    """The profile's fields as the model names them (the service checks them again)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in PROFILE_FIELDS:
            field = BureauProfile._meta.get_field(name)
            if field.get_internal_type() == "TextField":
                form_field = forms.CharField(
                    label=field.verbose_name,
                    required=False,
                    max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 6}),
                )
            else:
                form_field = forms.CharField(
                    label=field.verbose_name,
                    required=name == "name",
                    max_length=field.max_length,
                )
            form_field.help_text = field.help_text
            self.fields[name] = form_field


class ListForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("What changed"), max_length=NOTE_MAX, required=False)
    rows = forms.CharField(
        label=gettext_lazy("Rows"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy(
            "One item per line, the cells separated by tabs (as pasted from a spreadsheet) "
            "or by |, in the order of the columns above."
        ),
    )
    workbook = forms.FileField(
        label=gettext_lazy("Or a workbook (.xlsx)"),
        required=False,
        help_text=gettext_lazy("First row: the column headings as above."),
    )


def _index(request, *, list_form=None, problems=(), status=200) -> HttpResponse:
    versions = ListVersion.objects.filter(kind=KIND).order_by("-number")
    return render(
        request,
        "backoffice/disclosure_setup/index.html",
        {
            "profile": bureau_profile(),
            "versions": versions,
            "columns": columns_of(KIND),
            "list_form": list_form or ListForm(),
            "problems": list(problems),
        },
        status=status,
    )


@login_required
@permission_required(CONFIGURE_SYSTEM, raise_exception=True)
@require_GET
def disclosure_setup(request: HttpRequest) -> HttpResponse:
    return _index(request)


@login_required
@permission_required(CONFIGURE_SYSTEM, raise_exception=True)
@require_http_methods(["GET", "POST"])
def disclosure_profile(request: HttpRequest) -> HttpResponse:
    profile = bureau_profile()
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                bureau_profile_save(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("The bureau's profile was saved."))
                return redirect("backoffice:disclosure_setup")
        return render(
            request, "backoffice/disclosure_setup/profile.html", {"form": form}, status=400
        )
    form = ProfileForm(initial={name: getattr(profile, name) for name in PROFILE_FIELDS})
    return render(request, "backoffice/disclosure_setup/profile.html", {"form": form})


@login_required
@permission_required(CONFIGURE_SYSTEM, raise_exception=True)
@require_POST
def disclosure_list_publish(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, list_form=form, status=400)
    upload = form.cleaned_data["workbook"]
    try:
        if upload is not None:
            if upload.size > settings.IMPORT_MAX_BYTES:
                raise ListRefused(
                    [
                        _("The file is larger than %(max)d bytes.")
                        % {"max": settings.IMPORT_MAX_BYTES}
                    ]
                )
            rows = rows_from_xlsx(KIND, upload)
        else:
            rows = rows_from_text(KIND, form.cleaned_data["rows"])
        version = list_version_publish(
            kind=KIND, rows=rows, note=form.cleaned_data["note"], actor=request.user
        )
    except ListRefused as refused:
        return _index(request, list_form=form, problems=refused.problems, status=400)
    messages.success(
        request, _("Version %(number)d of the list is published.") % {"number": version.number}
    )
    return redirect("backoffice:disclosure_setup")
