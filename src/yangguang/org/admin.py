"""Admin for the organisation. Units, ranks and handling-unit types are configuration
(系统管理员); accounts, posts and certificates belong to the 安全管理员."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from yangguang.core.admin import (
    PostPermissionAdmin,
    PostPermissionInline,
    RecordedConfigAdmin,
    ServiceValidatedForm,
)
from yangguang.org import services
from yangguang.org.images import OFFICER_PHOTO, image_validate
from yangguang.org.models import (
    Certificate,
    HandlingUnitType,
    OfficerPhoto,
    Post,
    Rank,
    Unit,
    UnitSeal,
    User,
)
from yangguang.org.rules import Action, permission_name
from yangguang.org.signin import MFA_POSTS
from yangguang.records.registry import pk_or_404

ACCOUNTS = permission_name(Action.MANAGE_ACCOUNTS)


class UnitForm(ServiceValidatedForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "kind",
            "parent",
            "code",
            "handling_type",
            "is_external",
            "phone",
            "sort_order",
            "is_active",
        ]

    def service_validate(self, data: dict) -> None:
        existing = self.instance if self.instance.pk else None
        services.unit_validate(
            kind=existing.kind if existing else data["kind"],
            parent=data.get("parent"),
            code=data.get("code", "").strip(),
            handling_type=data.get("handling_type"),
            existing=existing,
        )


@admin.register(Unit)
class UnitAdmin(PostPermissionAdmin):
    form = UnitForm
    list_display = ["indented_name", "kind", "code", "handling_type", "is_external", "is_active"]
    list_filter = ["kind", "is_external", "is_active", "handling_type"]
    search_fields = ["name", "code"]
    list_select_related = ["handling_type"]
    autocomplete_fields = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        # The kind fixes where a unit may stand and what its code means.
        return ["kind"] if obj else []

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit: Unit) -> str:
        return "　" * unit.depth + unit.name

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        common = {
            "name": data["name"],
            "parent": data.get("parent"),
            "code": data.get("code", ""),
            "handling_type": data.get("handling_type"),
            "is_external": data.get("is_external", False),
            "phone": data.get("phone", ""),
            "sort_order": data.get("sort_order", 0),
        }
        if change:
            services.unit_update(
                unit=obj, is_active=data.get("is_active", True), actor=request.user, **common
            )
        else:
            created = services.unit_create(kind=data["kind"], actor=request.user, **common)
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        # Records refer to units for ever: a unit is deactivated, never deleted.
        return False


class ImageUploadForm(forms.ModelForm):
    """An image upload, checked by its service's own check (org/images.py) before
    anything is saved; the content is handed to the service as ``content``."""

    def check_image(self, *, content: bytes, name: str) -> None:
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload:
            content = upload.read()
            try:
                self.check_image(content=content, name=upload.name)
            except ValidationError as error:
                self.add_error("upload", error)
            data["content"] = content
        return data


class UnitSealForm(ImageUploadForm):
    upload = forms.FileField(
        label=_("seal image (PNG)"),
        help_text=_(
            "A PNG with a transparent background, usually the red round seal; it is printed "
            "over the seal line (the bureau's name and the date) of the documents."
        ),
    )

    class Meta:
        model = UnitSeal
        fields = ["unit"]

    def check_image(self, *, content: bytes, name: str) -> None:
        services.unit_seal_validate(content=content, name=name)


@admin.register(UnitSeal)
class UnitSealAdmin(PostPermissionAdmin):
    """The electronic seal printed on the documents (the bureau's: the top unit's)."""

    form = UnitSealForm
    list_display = ["unit", "preview_size", "sha256", "updated_at"]
    readonly_fields = ["preview_size", "sha256", "updated_at"]
    autocomplete_fields = ["unit"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "unit"] if obj else self.readonly_fields

    @admin.display(description=_("size"))
    def preview_size(self, seal: UnitSeal) -> str:
        return format_html("{} × {} px", seal.width, seal.height) if seal.pk else "—"

    def save_model(self, request, obj, form, change):
        seal = services.unit_seal_set(
            unit=obj.unit,
            content=form.cleaned_data["content"],
            name=form.cleaned_data["upload"].name,
            now=timezone.now(),
            actor=request.user,
        )
        obj.pk = seal.pk

    def delete_model(self, request, obj):
        services.unit_seal_remove(unit=obj.unit, actor=request.user)

    def delete_queryset(self, request, queryset):
        for seal in queryset.select_related("unit"):
            services.unit_seal_remove(unit=seal.unit, actor=request.user)


@admin.register(HandlingUnitType)
class HandlingUnitTypeAdmin(RecordedConfigAdmin):
    list_display = ["code", "name", "description"]
    search_fields = ["code", "name"]


@admin.register(Rank)
class RankAdmin(RecordedConfigAdmin):
    list_display = ["name", "category", "sort_order"]
    list_editable = ["sort_order"]


@admin.register(Post)
class PostAdmin(RecordedConfigAdmin):
    """The post set is fixed (the permission matrix refers to it); its data scope and
    description are the security administrator's to adjust."""

    manage_permission = ACCOUNTS
    list_display = ["__str__", "code", "data_scope"]
    fields = ["code", "data_scope", "description"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CertificateInline(PostPermissionInline):
    model = Certificate
    manage_permission = ACCOUNTS
    extra = 0
    fields = [
        "number",
        "issuing_authority",
        "valid_from",
        "valid_to",
        "status",
        "enforcement_category",
        "enforcement_area",
        "note",
    ]


class OfficerPhotoForm(ImageUploadForm):
    upload = forms.FileField(
        label=_("photo (JPEG or PNG)"),
        help_text=_(
            "A portrait of the officer for the public identity page and the 执法公示卡; "
            "kept as a small JPEG without the camera's metadata."
        ),
    )

    class Meta:
        model = OfficerPhoto
        fields = ["user"]

    def check_image(self, *, content: bytes, name: str) -> None:
        image_validate(content=content, name=name, rule=OFFICER_PHOTO)


@admin.register(OfficerPhoto)
class OfficerPhotoAdmin(PostPermissionAdmin):
    """Officers' photos, the security administrator's (they manage the accounts)."""

    manage_permission = ACCOUNTS
    form = OfficerPhotoForm
    list_display = ["user", "preview_size", "sha256", "updated_at"]
    readonly_fields = ["preview_size", "sha256", "updated_at"]
    search_fields = ["user__name", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("image")

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields

    @admin.display(description=_("size"))
    def preview_size(self, photo: OfficerPhoto) -> str:
        return format_html("{} × {} px", photo.width, photo.height) if photo.pk else "—"

    def save_model(self, request, obj, form, change):
        photo = services.officer_photo_set(
            user=obj.user,
            content=form.cleaned_data["content"],
            name=form.cleaned_data["upload"].name,
            now=timezone.now(),
            actor=request.user,
        )
        obj.pk = photo.pk

    def delete_model(self, request, obj):
        services.officer_photo_remove(user=obj.user, actor=request.user)

    def delete_queryset(self, request, queryset):
        for photo in queryset.select_related("user"):
            services.officer_photo_remove(user=photo.user, actor=request.user)


class StaffCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["username", "name", "phone", "unit", "rank", "posts"]

    def clean_posts(self):
        posts = self.cleaned_data["posts"]
        try:
            services.posts_validate(posts=posts)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["posts"]) from exc
        return posts


class StaffChangeForm(UserChangeForm):
    actor: User | None = None  # set per request by StaffAdmin.get_form

    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "phone",
            "unit",
            "rank",
            "posts",
            "is_active",
            "legal_qualification",
            "legal_review_since",
        ]

    def clean_posts(self):
        posts = self.cleaned_data["posts"]
        try:
            services.posts_validate(posts=posts, user=self.instance, actor=self.actor)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["posts"]) from exc
        return posts


@admin.register(User)
class StaffAdmin(PostPermissionAdmin, DjangoUserAdmin):
    manage_permission = ACCOUNTS
    form = StaffChangeForm
    add_form = StaffCreationForm
    inlines = [CertificateInline]
    list_display = [
        "username",
        "name",
        "unit",
        "post_list",
        "rank",
        "is_active",
        "authenticator",
        "password_changed_at",
    ]
    list_filter = ["is_active", "posts", "unit__kind"]
    search_fields = ["username", "name", "phone"]
    ordering = ["unit__path", "username"]
    filter_horizontal = ["posts"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["name", "phone", "unit", "rank"]}),
        (_("Posts"), {"fields": ["posts", "is_active"]}),
        (_("Legal review"), {"fields": ["legal_qualification", "legal_review_since"]}),
        (
            _("Dates"),
            {
                "fields": [
                    "last_login",
                    "date_joined",
                    "password_changed_at",
                    "must_change_password",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "name",
                    "phone",
                    "unit",
                    "rank",
                    "posts",
                    "password1",
                    "password2",
                ],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined", "password_changed_at", "must_change_password"]

    def get_queryset(self, request):
        enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return (
            super()
            .get_queryset(request)
            .select_related("unit", "rank")
            .prefetch_related("posts")
            .annotate(has_authenticator=Exists(enrolled))
        )

    @admin.display(description=_("authenticator"), boolean=True)
    def authenticator(self, user: User) -> bool | None:
        """Enrolled or not, for the accounts that sign in with one."""
        needed = {post.code for post in user.posts.all()} & MFA_POSTS
        return user.has_authenticator if needed else None

    def user_change_password(self, request, id, form_url=""):  # noqa: A002 - Django's name
        """Nobody sets another person's password (they could then act as them): the
        link leads to the reset, which sends the owner a one-time password
        (org/resets.py)."""
        if not self._allowed(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("backoffice:reset_new", args=[pk_or_404(id)]))

    def has_delete_permission(self, request, obj=None):
        # Records name the people who acted: an account is deactivated, never deleted.
        return False

    def get_inlines(self, request, obj):
        # Certificates are recorded once the account exists.
        return self.inlines if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    @admin.display(description=_("posts"))
    def post_list(self, user: User) -> str:
        return "、".join(str(post) for post in user.posts.all())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.user_update(
                user=obj,
                name=data["name"],
                phone=data.get("phone", ""),
                unit=data.get("unit"),
                rank=data.get("rank"),
                is_active=data.get("is_active", True),
                actor=request.user,
            )
            services.user_set_legal_qualification(
                user=obj,
                qualification=data.get("legal_qualification", ""),
                since=data.get("legal_review_since"),
                actor=request.user,
            )
        else:
            # The security administrator types the first password, so it is one-time:
            # the owner replaces it at the first sign-in.
            created = services.user_create(
                actor=request.user,
                username=data["username"],
                name=data["name"],
                phone=data.get("phone", ""),
                unit=data.get("unit"),
                rank=data.get("rank"),
                posts=data.get("posts", []),
                password=data.get("password1"),
                one_time_password=True,
            )
            obj.pk = created.pk
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        services.user_set_posts(
            user=form.instance, posts=form.cleaned_data["posts"], actor=request.user
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Certificate:
            super().save_formset(request, form, formset, change)
            return
        # The admin's change message reads these three lists, which formset.save()
        # would fill; the services do the saving here.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                services.certificate_delete(certificate=inline_form.instance, actor=request.user)
                formset.deleted_objects.append(inline_form.instance)
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            data = inline_form.cleaned_data
            fields = {key: data[key] for key in CertificateInline.fields}
            if inline_form.instance.pk:
                certificate = services.certificate_update(
                    certificate=inline_form.instance, **fields
                )
                formset.changed_objects.append((certificate, inline_form.changed_data))
            else:
                certificate = services.certificate_add(
                    holder=form.instance, actor=request.user, **fields
                )
                formset.new_objects.append(certificate)


@admin.register(Certificate)
class CertificateAdmin(PostPermissionAdmin):
    manage_permission = ACCOUNTS
    list_display = ["number", "holder", "issuing_authority", "valid_from", "valid_to", "status"]
    list_filter = ["status", "issuing_authority", "enforcement_category"]
    search_fields = ["number", "holder__name", "holder__username"]
    list_select_related = ["holder"]
    autocomplete_fields = ["holder"]
    date_hierarchy = "valid_to"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {key: data[key] for key in CertificateInline.fields}
        if change:
            services.certificate_update(certificate=obj, actor=request.user, **fields)
        else:
            created = services.certificate_add(holder=data["holder"], actor=request.user, **fields)
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.certificate_delete(certificate=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for certificate in queryset:
            services.certificate_delete(certificate=certificate, actor=request.user)
