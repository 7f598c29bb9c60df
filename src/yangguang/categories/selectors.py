from django.db.models import Q, QuerySet

from yangguang.categories.models import Category, CategoryStandard


def categories_search(
    *,
    query: str = "",
    kind: str = "",
    major_code: str = "",
    standard: CategoryStandard | None = None,
    active_only: bool = True,
) -> QuerySet[Category]:
    """Categories matching a free-text query on code, name, major class or keywords."""
    categories = Category.objects.select_related("standard", "handling_type")
    if standard is not None:
        categories = categories.filter(standard=standard)
    else:
        categories = categories.filter(standard__is_current=True)
    if active_only:
        categories = categories.filter(is_active=True)
    if kind:
        categories = categories.filter(kind=kind)
    if major_code:
        categories = categories.filter(major_code=major_code)
    for word in query.split():
        categories = categories.filter(
            Q(code__startswith=word)
            | Q(name__icontains=word)
            | Q(major_name__icontains=word)
            | Q(keywords__icontains=word)
        )
    return categories.order_by("kind", "code")


def major_classes(*, standard: CategoryStandard | None = None) -> list[tuple[str, str, str]]:
    """(kind, major code, major name) of the current code sets, in order."""
    categories = Category.objects.all()
    if standard is not None:
        categories = categories.filter(standard=standard)
    else:
        categories = categories.filter(standard__is_current=True)
    return list(
        categories.values_list("kind", "major_code", "major_name")
        .distinct()
        .order_by("kind", "major_code")
    )
