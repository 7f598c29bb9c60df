from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryKind(models.TextChoices):
    """部件 are public facilities; 事件 (事项 in GB/T 47678.5) are problems of order and
    environment (reference.md §1.2). Codes are unique only within a kind."""

    COMPONENT = "component", _("Component (部件)")
    EVENT = "event", _("Event / matter (事件)")


# How category files name the kinds, old and new standards alike.
KIND_ALIASES = {
    "部件": CategoryKind.COMPONENT,
    "component": CategoryKind.COMPONENT,
    "事件": CategoryKind.EVENT,
    "事项": CategoryKind.EVENT,
    "event": CategoryKind.EVENT,
}
