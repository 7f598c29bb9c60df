"""A service's refusal shown on the form that asked for it: each message on its field
where the form has one (``renamed`` maps the service's names to the form's), the rest
above the form (or on ``default``)."""

from django.core.exceptions import ValidationError
from django.forms import Form


def errors_onto(
    form: Form,
    error: ValidationError,
    *,
    renamed: dict[str, str] | None = None,
    default: str | None = None,
) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(default, error.messages)
        return
    for name, problems in error.message_dict.items():
        field = (renamed or {}).get(name, name)
        form.add_error(field if field in form.fields else default, problems)
