"""Admin for the working calendar (系统管理员). Every write goes through the services,
which hold the rules (make-up days on weekends, dates inside their year, periods that
do not overlap)."""

from django import forms
from django.contrib import admin
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from yangguang.core.admin import PostPermissionAdmin, PostPermissionInline, ServiceValidatedForm
from yangguang.worktime import services
from yangguang.worktime.models import CalendarYear, SpecialDay, WorkPeriod


class CalendarYearForm(ServiceValidatedForm):
    class Meta:
        model = CalendarYear
        fields = ("year", "source", "is_provisional")

    def service_validate(self, data: dict) -> None:
        services.calendar_year_validate(
            year=data.get("year", self.instance.year), source=data.get("source", "")
        )


class SpecialDayForm(ServiceValidatedForm):
    # The calendar year the day is entered under: set for the inline, derived from the
    # date otherwise.
    calendar_year: CalendarYear | None = None

    class Meta:
        model = SpecialDay
        fields = ("date", "kind", "name")

    def service_validate(self, data: dict) -> None:
        services.special_day_validate(
            day=data["date"],
            kind=data["kind"],
            name=data["name"],
            calendar_year=self.calendar_year,
            special_day=self.instance if self.instance.pk else None,
        )


def _save_special_day(form: forms.ModelForm, special_day: SpecialDay, change: bool, actor) -> None:
    data = form.cleaned_data
    saved = services.special_day_set(
        day=data["date"],
        kind=data["kind"],
        name=data["name"],
        special_day=special_day if change else None,
        actor=actor,
    )
    special_day.pk = saved.pk
    special_day.year = saved.year


class SpecialDayInline(PostPermissionInline):
    model = SpecialDay
    form = SpecialDayForm
    fields = ("date", "kind", "name")
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type("SpecialDayInlineForm", (formset.form,), {"calendar_year": obj})
        return formset


@admin.register(CalendarYear)
class CalendarYearAdmin(PostPermissionAdmin):
    form = CalendarYearForm
    list_display = ("year", "source", "is_provisional", "updated_at")
    list_filter = ("is_provisional",)
    inlines = (SpecialDayInline,)

    def get_readonly_fields(self, request, obj=None):
        # The special days hang on the year: it cannot be renumbered under them.
        return ("year",) if obj else ()

    def get_inlines(self, request, obj):
        # Days are checked against their year, so the year must exist first.
        return self.inlines if obj else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.calendar_year_set(
            year=obj.year if change else data["year"],
            source=data["source"],
            is_provisional=data.get("is_provisional", False),
            actor=request.user,
        )
        obj.pk = saved.pk

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for special_day in formset.deleted_objects:
            services.special_day_delete(special_day=special_day, actor=request.user)
        for special_day in instances:
            inline_form = next(f for f in formset.forms if f.instance is special_day)
            _save_special_day(
                inline_form, special_day, change=special_day.pk is not None, actor=request.user
            )

    def delete_model(self, request, obj):
        services.calendar_year_delete(calendar_year=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for calendar_year in queryset:
            services.calendar_year_delete(calendar_year=calendar_year, actor=request.user)


@admin.register(SpecialDay)
class SpecialDayAdmin(PostPermissionAdmin):
    form = SpecialDayForm
    list_display = ("date", "weekday", "kind", "name", "year")
    list_filter = ("kind", "year")
    list_select_related = ("year",)
    search_fields = ("name",)
    date_hierarchy = "date"

    @admin.display(description=_("weekday"))
    def weekday(self, special_day: SpecialDay) -> str:
        return formats.date_format(special_day.date, "D")

    def save_model(self, request, obj, form, change):
        _save_special_day(form, obj, change, actor=request.user)

    def delete_model(self, request, obj):
        services.special_day_delete(special_day=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for special_day in queryset:
            services.special_day_delete(special_day=special_day, actor=request.user)


class WorkPeriodForm(ServiceValidatedForm):
    class Meta:
        model = WorkPeriod
        fields = ("start", "end")

    def service_validate(self, data: dict) -> None:
        services.work_period_validate(
            start=data["start"],
            end=data["end"],
            work_period=self.instance if self.instance.pk else None,
        )


@admin.register(WorkPeriod)
class WorkPeriodAdmin(PostPermissionAdmin):
    form = WorkPeriodForm
    list_display = ("__str__", "start", "end")

    def get_actions(self, request):
        # Deleting several at once could remove the last period; delete one by one.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or WorkPeriod.objects.exclude(pk=obj.pk).exists()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.work_period_set(
            start=data["start"],
            end=data["end"],
            work_period=obj if change else None,
            actor=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.work_period_delete(work_period=obj, actor=request.user)
