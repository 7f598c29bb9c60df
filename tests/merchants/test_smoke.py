import pytest

from tests.merchants.helpers import IN_ZONE, merchant, shop
from yangguang.credit.models import CreditScore
from yangguang.merchants.selectors import shops_at

pytestmark = pytest.mark.django_db


def test_a_new_merchant_starts_with_the_base_points_and_its_shop_zone_covers_the_pavement(city):
    owner = merchant(city)
    registered = shop(city, owner)
    assert CreditScore.objects.get(merchant=owner).points == 1000
    assert shops_at(lon=IN_ZONE[0], lat=IN_ZONE[1]) == [registered]
    assert registered.grid.code == "370899001001001"
