"""The page a passer-by opens by scanning a shop's 门前三包 公示牌: the shop, its zone on
the map, its duties, the merchant's grade, 文明商家 titles and recent inspection results,
and a button to report a problem there (the report form pre-filled with a point in the
zone and the shop named).

What is shown is read by ``merchants.shop_public``: nothing personal (no operator, no
phone, no inspector). The page is a handful of small queries, however long the shop's
history (a board is scanned in the street, over and over).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yangguang.disclosure.selectors import bureau_profile
from yangguang.merchants.selectors import shop_for_board
from yangguang.merchants.shop_public import (
    active_rules,
    inspection_results,
    registered_name,
    report_point,
    shop_grade,
    shop_titles,
    zone_size,
)


@require_GET
def shop(request: HttpRequest, token: str) -> HttpResponse:
    found = shop_for_board(token)
    if found is None:  # unknown, or closed: a closed shop's board is out of date
        raise Http404
    lon, lat = report_point(found)
    report_query = urlencode(
        {
            "lon": f"{lon:.7f}",
            "lat": f"{lat:.7f}",
            "address": found.address,
            "description": _("At the shop “%(shop)s” (%(address)s): ")
            % {"shop": found.trade_name, "address": found.address},
        }
    )
    return render(
        request,
        "portal/shops/shop.html",
        {
            "shop": found,
            "registered_name": registered_name(found),
            "duties": list(found.duties.all()),
            "zone_size": zone_size(found),
            "grade": shop_grade(found, active_rules()),
            "titles": shop_titles(found),
            "inspections": inspection_results(found),
            "profile": bureau_profile(),
            "report_here_url": f"{reverse('portal:report')}?{report_query}",
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )
