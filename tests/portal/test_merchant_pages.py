"""The merchant's own page (issue 13): sign-in by credit code and mobile or by the texted
link, a one-time code each time, then their credit, shops, 责任书, 整改 requests and
credit repair — each id scoped to the signed-in merchant."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.merchants.helpers import at, merchant, shop
from tests.notify.helpers import worker_round
from tests.reports.helpers import photo
from yangguang.credit.models import RepairApplication
from yangguang.credit.repair import repair_opens_on
from yangguang.merchants.access import access_issue
from yangguang.merchants.enums import LetterStatus, RectificationStatus, SignMethod
from yangguang.merchants.inspections import Finding, inspection_record, rectifications_expire
from yangguang.merchants.models import MerchantAccess
from yangguang.merchants.services import letter_issue
from yangguang.notify.models import Message
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db

SIGN_IN = "/merchant/"
HOME = "/merchant/home/"
TUESDAY = at(2026, 4, 7, 10)


@pytest.fixture
def client(client):
    client.cookies["django_language"] = "en"  # assert on the English msgids
    return client


@pytest.fixture
def owner(city, time_machine):
    time_machine.move_to(TUESDAY)
    return merchant(city, now=TUESDAY)


@pytest.fixture
def owned_shop(city, owner):
    return shop(city, owner, now=TUESDAY)


@pytest.fixture
def other(city, owner):
    """Another merchant, with a shop, a letter, a 整改 request and a credit event."""
    someone = merchant(city, n=2, now=TUESDAY)
    their_shop = shop(city, someone, now=TUESDAY, trade_name="李记", address="东街道二号")
    return someone, their_shop


def last_code() -> str:
    """The code as the merchant's phone receives it (the outbox keeps it masked)."""
    texts = [sms.text for sms in worker_round() if sms.text != sms.masked_text]
    codes = [text for text in texts if "/merchant/l/" not in text]
    return re.search(r"(?<!\d)(\d{6})(?!\d)", codes[-1])[1]


def pending_codes() -> int:
    return Message.objects.filter(purpose="merchant_code").count()


def sign_in_by_code(client, owner, *, phone=None):
    client.post(
        SIGN_IN,
        {"step": "identify", "credit_code": owner.credit_code, "phone": phone or owner.phone},
    )
    return client.post(SIGN_IN, {"step": "verify", "code": last_code()})


def link_url(owner) -> str:
    access = access_issue(merchant=owner)
    return reverse("portal:merchant_link", args=[access.token])


def sign_in_by_link(client, owner):
    url = link_url(owner)
    client.post(url, {"step": "send_code"})
    response = client.post(url, {"step": "verify", "code": last_code()})
    assert response.status_code == 302
    return response


def failed_inspection(city, a_shop, *, now):
    """An inspection failing the first duty: opens one 整改 request."""
    duties = list(a_shop.duties.all())
    findings = [
        Finding(
            duty=duty.code,
            item=(duty.checklist or [duty.name])[0],
            passed=index != 0,
            note="门前堆放杂物" if index == 0 else "",
            photos=[photo("before.jpg")] if index == 0 else [],
        )
        for index, duty in enumerate(duties)
    ]
    inspection_record(
        shop=a_shop, findings=findings, actor=city.people[PostCode.INSPECTOR], now=now
    )
    return a_shop.rectifications.get()


def overdue_event(city, a_shop):
    """A 整改 request left past its deadline: a negative, repairable credit event."""
    rectification = failed_inspection(city, a_shop, now=TUESDAY)
    rectifications_expire(now=rectification.due_at + datetime.timedelta(hours=1))
    return a_shop.merchant.credit_events.get(kind="rectification_overdue")


# --- Sign-in -------------------------------------------------------------------------


def test_credit_code_and_mobile_send_a_code_that_signs_in(client, owner, owned_shop):
    response = client.post(
        SIGN_IN,
        {"step": "identify", "credit_code": owner.credit_code.lower(), "phone": owner.phone},
    )
    assert response.status_code == 302
    assert pending_codes() == 1
    assert client.get(HOME).status_code == 302  # not yet: the code first

    response = client.post(SIGN_IN, {"step": "verify", "code": last_code()})

    assert response.status_code == 302
    assert response["Location"] == HOME
    page = client.get(HOME).content.decode()
    assert owner.name in page
    assert owned_shop.trade_name in page
    assert owner.operator_name not in page


def test_full_width_digits_in_the_mobile_are_read_as_digits(client, owner):
    full_width = owner.phone.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    client.post(
        SIGN_IN, {"step": "identify", "credit_code": owner.credit_code, "phone": full_width}
    )
    assert pending_codes() == 1


def test_a_wrong_pair_gets_the_same_page_and_no_code(client, owner):
    right = client.post(
        SIGN_IN,
        {"step": "identify", "credit_code": owner.credit_code, "phone": owner.phone},
        follow=True,
    )
    client.cookies.clear()
    client.cookies["django_language"] = "en"
    wrong = client.post(
        SIGN_IN,
        {"step": "identify", "credit_code": owner.credit_code, "phone": "13900000000"},
        follow=True,
    )

    assert pending_codes() == 1
    assert right.status_code == wrong.status_code == 200

    def without_token(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert without_token(right) == without_token(wrong)
    assert "If the credit code and mobile number match our file" in without_token(wrong)
    refused = client.post(SIGN_IN, {"step": "verify", "code": "123456"})
    assert refused.status_code == 400
    assert "The code is wrong or has expired" in refused.content.decode()


def test_the_texted_link_signs_in_with_a_code(client, owner):
    url = link_url(owner)
    page = client.get(url).content.decode()
    assert owner.phone[-4:] in page
    assert owner.name not in page  # nothing of the file before the code

    sign_in_by_link(client, owner)

    assert owner.name in client.get(HOME).content.decode()


def test_a_code_is_sent_at_most_once_a_minute(client, owner):
    url = link_url(owner)
    client.post(url, {"step": "send_code"})
    again = client.post(url, {"step": "send_code"})
    assert again.status_code == 409
    assert "A code was just sent; wait a minute." in again.content.decode()
    assert pending_codes() == 1


def test_ten_wrong_codes_lock_the_sign_in(client, owner, time_machine):
    url = link_url(owner)
    for _round in range(2):  # five tries per code, ten wrong codes in all
        client.post(url, {"step": "send_code"})
        for _try in range(5):
            assert client.post(url, {"step": "verify", "code": "000000"}).status_code == 400
        time_machine.shift(datetime.timedelta(seconds=61))
    assert MerchantAccess.objects.get(merchant=owner, locked_at__isnull=False)
    assert "This sign-in is locked" in client.get(url).content.decode()

    refused = client.post(url, {"step": "send_code"})

    assert refused.status_code == 409
    assert "Ask the bureau to send you a new link" in refused.content.decode()
    assert RecordEntry.objects.filter(action="merchants.access_locked").count() == 1
    # Typing the credit code does not side-step the lock, and says only "wrong code".
    client.post(
        SIGN_IN, {"step": "identify", "credit_code": owner.credit_code, "phone": owner.phone}
    )
    assert client.post(SIGN_IN, {"step": "verify", "code": "000000"}).status_code == 400
    assert client.get(HOME).status_code == 302


def test_the_session_ends_after_its_lifetime(client, owner, time_machine):
    sign_in_by_code(client, owner)
    time_machine.shift(datetime.timedelta(minutes=29))
    assert client.get(HOME).status_code == 200

    time_machine.shift(datetime.timedelta(minutes=2))

    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN


def test_signing_out_ends_the_session(client, owner):
    sign_in_by_code(client, owner)
    assert client.post("/merchant/sign-out/").status_code == 302
    assert client.get(HOME).status_code == 302


def test_sign_in_attempts_are_limited_per_address(client, owner):
    for _attempt in range(30):
        client.post(SIGN_IN, {"step": "identify", "credit_code": "X", "phone": "1"})
    response = client.post(
        SIGN_IN, {"step": "identify", "credit_code": owner.credit_code, "phone": owner.phone}
    )
    assert response.status_code == 429
    assert pending_codes() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"step": "identify", "credit_code": "x" * 100_000, "phone": "1" * 5000},
        {"step": "identify", "credit_code": "９１３７０８", "phone": "一三九"},
        {"step": "verify", "code": "１２３４５６"},
        {"step": "nonsense"},
        {},
    ],
)
def test_odd_sign_in_input_is_refused_clearly(client, owner, data):
    response = client.post(SIGN_IN, data)
    assert response.status_code == 400
    assert pending_codes() == 0


@pytest.mark.parametrize("token", ["x", "a" * 200, "not-a-token-we-ever-gave-out-at-all"])
def test_an_unknown_link_is_not_found(client, token):
    assert client.get(f"/merchant/l/{token}/").status_code == 404


@pytest.mark.parametrize("urlencoded", [True, False])
def test_a_nul_byte_is_refused(client, owner, urlencoded):
    data = {"step": "identify", "credit_code": owner.credit_code + "\x00", "phone": owner.phone}
    if urlencoded:  # the input guard, before any view
        from urllib.parse import urlencode

        response = client.post(
            SIGN_IN, urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    else:  # multipart: the form
        response = client.post(SIGN_IN, data)
    assert response.status_code == 400
    assert pending_codes() == 0


@pytest.mark.parametrize("note", ["清理\x00完毕", "长" * 100_000])
def test_an_odd_note_with_the_after_photo_is_refused(client, city, owner, owned_shop, note):
    rectification = failed_inspection(city, owned_shop, now=TUESDAY)
    sign_in_by_code(client, owner)
    prefix = f"r{rectification.pk}"

    response = client.post(
        reverse("portal:merchant_rectification", args=[rectification.pk]),
        {f"{prefix}-photos": [photo()], f"{prefix}-note": note},
    )

    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN


# --- The page ------------------------------------------------------------------------


def test_the_page_shows_the_score_grade_triggers_and_each_event(client, city, owned_shop):
    event = overdue_event(city, owned_shop)
    sign_in_by_code(client, owned_shop.merchant)

    page = client.get(HOME).content.decode()

    assert ">950<" in page  # 1,000 less 50 for the overdue 整改 request
    assert "A 诚信" in page  # the default scheme's band for 950
    assert "优先推荐文明商家" in page
    assert event.reason in page
    assert ">-50<" in page
    assert event.source_repr in page
    assert 'id="merchant-zones"' in page
    assert "leaflet/leaflet.js" in page


def test_the_merchant_signs_the_letter_electronically(client, city, owner, owned_shop):
    letter = letter_issue(shop=owned_shop, actor=city.people[PostCode.INSPECTOR], now=TUESDAY)
    sign_in_by_code(client, owner)
    page = client.get(HOME).content.decode()
    assert letter.number in page
    assert letter.duties[0]["description"] in page

    response = client.post(reverse("portal:merchant_letter_sign", args=[letter.pk]))

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SIGNED
    assert letter.sign_method == SignMethod.ELECTRONIC
    assert letter.signed_phone == owner.phone
    again = client.post(reverse("portal:merchant_letter_sign", args=[letter.pk]))
    assert again.status_code == 400
    assert "This letter cannot be signed" in again.content.decode()


def test_the_merchant_uploads_an_after_photo(client, city, owner, owned_shop):
    rectification = failed_inspection(city, owned_shop, now=TUESDAY)
    sign_in_by_code(client, owner)
    url = reverse("portal:merchant_rectification", args=[rectification.pk])
    prefix = f"r{rectification.pk}"

    response = client.post(url, {f"{prefix}-photos": [photo()], f"{prefix}-note": "已清理"})

    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.SUBMITTED
    assert len(rectification.after_photos) == 1


def test_an_after_photo_that_is_not_a_picture_is_refused(client, city, owner, owned_shop):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rectification = failed_inspection(city, owned_shop, now=TUESDAY)
    sign_in_by_code(client, owner)
    url = reverse("portal:merchant_rectification", args=[rectification.pk])
    fake = SimpleUploadedFile("after.jpg", b"MZ\x90\x00" + b"\x00" * 200)

    no_photo = client.post(url, {})
    not_a_photo = client.post(url, {f"r{rectification.pk}-photos": [fake]})

    assert no_photo.status_code == not_a_photo.status_code == 400
    assert "Add a photo of the corrected zone." in no_photo.content.decode()
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN


def test_repair_is_refused_before_three_months_and_accepted_after(
    client, city, owned_shop, time_machine
):
    event = overdue_event(city, owned_shop)
    opens_on = repair_opens_on(event)
    assert 89 <= (opens_on - event.occurred_at.date()).days <= 92  # 3 months (一般失信)
    url = reverse("portal:merchant_repair", args=[event.pk])
    data = {
        f"e{event.pk}-commitment": "本店承诺今后自觉履行门前三包责任",
        f"e{event.pk}-correction": "杂物已清理",
    }

    time_machine.move_to(at(*(opens_on - datetime.timedelta(days=1)).timetuple()[:3], 10))
    sign_in_by_code(client, owned_shop.merchant)
    page = client.get(HOME).content.decode()
    assert f"You may apply from {opens_on:%Y-%m-%d}" in page
    early = client.post(url, data)
    assert early.status_code == 400
    assert opens_on.isoformat() in early.content.decode()
    assert not RepairApplication.objects.exists()

    time_machine.move_to(at(*opens_on.timetuple()[:3], 10))
    sign_in_by_code(client, owned_shop.merchant)
    assert "Apply for repair" in client.get(HOME).content.decode()
    response = client.post(url, {**data, f"e{event.pk}-proof": [photo()]})

    assert response.status_code == 302
    application = RepairApplication.objects.get(event=event)
    assert len(application.proof) == 1
    page = client.get(HOME).content.decode()
    assert "Awaiting the legal office" in page
    assert client.post(url, data).status_code == 400  # one waiting at a time


def test_another_merchants_objects_are_not_found(client, city, owner, owned_shop, other):
    someone, their_shop = other
    letter = letter_issue(shop=their_shop, actor=city.people[PostCode.INSPECTOR], now=TUESDAY)
    rectification = failed_inspection(city, their_shop, now=TUESDAY)
    rectifications_expire(now=rectification.due_at + datetime.timedelta(hours=1))
    event = someone.credit_events.get()
    sign_in_by_code(client, owner)

    sign = client.post(reverse("portal:merchant_letter_sign", args=[letter.pk]))
    upload = client.post(
        reverse("portal:merchant_rectification", args=[rectification.pk]),
        {f"r{rectification.pk}-photos": [photo()]},
    )
    repair = client.post(
        reverse("portal:merchant_repair", args=[event.pk]),
        {f"e{event.pk}-commitment": "x", f"e{event.pk}-correction": "y"},
    )

    assert sign.status_code == upload.status_code == repair.status_code == 404
    letter.refresh_from_db()
    rectification.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED
    assert rectification.status == RectificationStatus.OVERDUE
    assert not RepairApplication.objects.exists()
    page = client.get(HOME).content.decode()
    assert their_shop.trade_name not in page
    assert letter.number not in page


@pytest.mark.parametrize(
    "path",
    [
        "/merchant/letters/abc/sign/",
        "/merchant/letters/99999999999999999999/sign/",
        "/merchant/rectifications/-1/",
        "/merchant/events/0/repair/",
    ],
)
def test_odd_ids_are_not_found(client, owner, path):
    sign_in_by_code(client, owner)
    assert client.post(path).status_code == 404


def test_actions_need_a_signed_in_merchant(client, city, owner, owned_shop):
    letter = letter_issue(shop=owned_shop, actor=city.people[PostCode.INSPECTOR], now=TUESDAY)
    response = client.post(reverse("portal:merchant_letter_sign", args=[letter.pk]))
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ISSUED


def test_posts_need_the_csrf_token(owner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        SIGN_IN, {"step": "identify", "credit_code": owner.credit_code, "phone": owner.phone}
    )
    assert response.status_code == 403
    assert pending_codes() == 0


def test_the_page_reads_in_as_many_queries_for_three_shops_as_for_one(client, city, owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured)

    inspector = city.people[PostCode.INSPECTOR]
    first = shop(city, owner, now=TUESDAY)
    letter_issue(shop=first, actor=inspector, now=TUESDAY)
    sign_in_by_code(client, owner)
    one = queries()
    for n in (2, 3):
        another = shop(city, owner, now=TUESDAY, trade_name=f"老张小吃{n}号店")
        letter_issue(shop=another, actor=inspector, now=TUESDAY)

    assert queries() == one
    assert "老张小吃3号店" in client.get(HOME).content.decode()
