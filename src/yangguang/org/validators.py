"""Validators shared by forms, admin, imports and (later) the API, so that every
interface rejects the same input with the same message."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yangguang.org.enums import UnitKind

DIVISION_CODE = re.compile(r"^[0-9]{12}$")


def validate_division_code(*, code: str, kind: str, parent_code: str = "") -> None:
    """12-digit codes: 6 county + 3 sub-district + 3 community (reference.md §1.4).

    A sub-district code ends in 000; a community code starts with its sub-district's
    first nine digits and does not end in 000.
    """
    if not DIVISION_CODE.match(code):
        raise ValidationError(
            _("The code of a sub-district or community must be 12 digits, got “%(code)s”."),
            code="division_code_format",
            params={"code": code},
        )
    if kind == UnitKind.STREET and not code.endswith("000"):
        raise ValidationError(
            _("A sub-district code ends in 000 (6-digit county + 3-digit sub-district + 000)."),
            code="street_code_suffix",
        )
    if kind == UnitKind.COMMUNITY:
        if code.endswith("000"):
            raise ValidationError(
                _("A community code must not end in 000; that form is a sub-district's."),
                code="community_code_suffix",
            )
        if parent_code and code[:9] != parent_code[:9]:
            raise ValidationError(
                _(
                    "Community code %(code)s does not belong to sub-district %(parent)s: "
                    "the first nine digits must match."
                ),
                code="community_code_prefix",
                params={"code": code, "parent": parent_code},
            )
