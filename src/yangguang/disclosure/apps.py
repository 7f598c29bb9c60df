from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "yangguang.disclosure"
    label = "disclosure"
    verbose_name = _("Disclosure (阳光公示)")

    def ready(self) -> None:
        from django.shortcuts import get_object_or_404

        from yangguang.cases.selectors import get_case_for_user
        from yangguang.disclosure import handlers
        from yangguang.disclosure.models import (
            BureauProfile,
            DisclosureRules,
            ListVersion,
            Publication,
        )
        from yangguang.org.rules import Action, permission_name
        from yangguang.org.selectors import bureau_root
        from yangguang.records.registry import bureau_wide, pk_or_404, register

        handlers.register()

        def publication_for_user(user, pk):
            publication = get_object_or_404(Publication, pk=pk_or_404(pk))
            get_case_for_user(user=user, case_id=publication.case_id)  # 404 outside scope
            return publication

        register(
            Publication,
            get_for_user=publication_for_user,
            unit_of=lambda publication: publication.case.unit,
        )
        for model in (BureauProfile, DisclosureRules, ListVersion):
            register(
                model,
                get_for_user=bureau_wide(model, permission_name(Action.VIEW_ORGANISATION)),
                unit_of=lambda _obj: bureau_root(),
            )
