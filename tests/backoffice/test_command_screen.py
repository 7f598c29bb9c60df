"""The command centre's 大屏, its responsive page and their live JSON: who may open
them, that every figure is a link to its list, the JSON's caching, the refresh setting,
and that the pages need no inline script (Content Security Policy)."""

import datetime
import re
import types
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from yangguang.backoffice import command_views
from yangguang.org.enums import PostCode

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)
PAGES = ["backoffice:command_centre", "backoffice:command_screen", "backoffice:command_live_json"]


def sample_figures(intake: int = 37, version: str = "v1") -> dict:
    """Figures in the shape of ``analytics.live.live_figures``."""

    def item(code, label, count, url):
        return {"code": code, "label": label, "count": count, "url": url}

    return {
        "generated_at": "2026-12-03T10:00:00+08:00",
        "version": version,
        "intake_today": {
            "count": intake,
            "url": "/staff/reports/?received=today",
            "by_channel": [
                item("web", "公众网站", intake, "/staff/reports/?received=today&channel=web"),
                item("hotline", "12345热线", 5, "/staff/reports/?channel=hotline"),
            ],
        },
        "open_by_state": [
            item("dispatched", "已派遣", 5, "/staff/reports/?state=dispatched"),
            item("accepted", "已受理", 9, "/staff/reports/?state=accepted"),
        ],
        "lights": [
            item("normal", "正常", 11, "/staff/reports/?light=normal"),
            item("warning", "临期", 2, "/staff/reports/?light=warning"),
            item("overdue", "超期", 1, "/staff/reports/?light=overdue"),
        ],
        "overdue": {"count": 1, "url": "/staff/reports/?light=overdue"},
        "supervised": {"count": 4, "url": "/staff/reports/?supervised=1"},
        "cases_by_stage": [
            item("filing", "立案", 3, "/staff/cases/?stage=filing"),
            item("decision", "决定", 2, "/staff/cases/?stage=decision"),
        ],
        "shares_721": {
            "period": "2026年12月",
            "handled": 10,
            "items": [
                {**item("service", "服务", 7, "/staff/reports/?way=service"), "share": "70.00"},
                {
                    **item("management", "管理", 2, "/staff/reports/?way=manage"),
                    "share": "20.00",
                },
                {
                    **item("enforcement", "执法", 1, "/staff/reports/?way=enforce"),
                    "share": None,
                },
            ],
        },
        "top_categories": [item("09005", "店外经营", 8, "/staff/reports/?category=09005")],
        "hot_spots": [
            item("370899001001001", "一社区 001 网格", 6, "/staff/reports/?grid=370899001001001")
        ],
    }


@pytest.fixture
def live(monkeypatch):
    """``analytics.live.live_figures`` replaced by the sample; ``live.calls`` counts the
    computations, ``live.figures`` is what the next one returns."""
    fake = types.SimpleNamespace()
    fake.calls = []
    fake.figures = sample_figures()

    def live_figures(*, now):
        fake.calls.append(now)
        return fake.figures

    monkeypatch.setattr(command_views, "live_figures", live_figures)
    return fake


def every_url(figures: dict) -> set[str]:
    urls = set()
    stack = [figures]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if "url" in value:
                urls.add(value["url"])
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return urls


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("post", [PostCode.OFFICER, PostCode.HANDLER, PostCode.SYSTEM_ADMIN])
def test_posts_without_the_command_centre_get_403(client, personas, live, name, post):
    client.force_login(personas[post])
    assert client.get(reverse(name)).status_code == 403
    assert live.calls == []


@pytest.mark.parametrize("post", [PostCode.SHIFT_LEAD, PostCode.DISPATCHER, PostCode.LEADER])
def test_the_command_posts_see_the_menu_entry_and_the_pages(client, personas, live, post):
    client.force_login(personas[post])
    home = client.get(reverse("backoffice:home")).content.decode()
    assert f'href="{reverse("backoffice:command_centre")}"' in home
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200


def test_the_officer_has_no_menu_entry(client, personas):
    client.force_login(personas[PostCode.OFFICER])
    home = client.get(reverse("backoffice:home")).content.decode()
    assert reverse("backoffice:command_centre") not in home


@pytest.mark.parametrize("name", ["backoffice:command_centre", "backoffice:command_screen"])
def test_every_figure_is_a_link_to_its_list(client, personas, live, name):
    client.force_login(personas[PostCode.SHIFT_LEAD])
    page = client.get(reverse(name)).content.decode()
    links = set(re.findall(r'<a [^>]*href="([^"]+)"', page))
    assert every_url(live.figures) <= {link.replace("&amp;", "&") for link in links}
    # The big numbers, each inside its link.
    assert re.search(
        r'<a [^>]*data-figure="intake_today" href="/staff/reports/\?received=today">'
        r'<span class="cc-num">37</span>',
        page,
    )
    assert "70.00%" in page
    assert "2026年12月" in page


def test_the_screen_is_its_own_dark_page_without_the_menu(client, personas, live):
    client.force_login(personas[PostCode.SHIFT_LEAD])
    page = client.get(reverse("backoffice:command_screen")).content.decode()
    assert 'class="cc-screen"' in page
    assert 'class="sidenav"' not in page
    assert "data-fullscreen" in page
    assert "data-clock" in page
    centre = client.get(reverse("backoffice:command_centre")).content.decode()
    assert 'class="sidenav"' in centre
    assert reverse("backoffice:command_screen") in centre


def test_the_pages_have_no_inline_script_and_load_echarts_from_the_package(client, personas, live):
    client.force_login(personas[PostCode.SHIFT_LEAD])
    for name in ("backoffice:command_centre", "backoffice:command_screen"):
        page = client.get(reverse(name)).content.decode()
        for tag in re.findall(r"<script[^>]*>", page):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
        assert ' style="' not in page
        assert " on" + "click=" not in page
        assert 'src="/static/vendor/echarts/echarts.min.js"' in page
        assert "http://" not in page
        assert "https://" not in page


def test_the_refresh_interval_comes_from_the_settings(client, personas, live, settings):
    settings.SCREEN_REFRESH_SECONDS = 9
    client.force_login(personas[PostCode.SHIFT_LEAD])
    page = client.get(reverse("backoffice:command_screen")).content.decode()
    assert 'data-refresh-seconds="9"' in page
    assert f'data-live-url="{reverse("backoffice:command_live_json")}"' in page
    assert 'data-version="v1"' in page


def test_the_live_json_is_the_figures_not_stored_by_browsers(client, personas, live):
    client.force_login(personas[PostCode.SHIFT_LEAD])
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("backoffice:command_live_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == live.figures
    assert "公众网站" in response.content.decode()  # not \u-escaped
    assert live.calls == [NOW]


def test_the_figures_are_shared_for_a_few_seconds(client, personas, live, settings):
    settings.SCREEN_REFRESH_SECONDS = 5
    client.force_login(personas[PostCode.SHIFT_LEAD])
    url = reverse("backoffice:command_live_json")
    with time_machine.travel(NOW, tick=False) as traveller:
        assert client.get(url).json()["version"] == "v1"
        live.figures = sample_figures(intake=38, version="v2")
        assert client.get(url).json()["version"] == "v1"  # from the cache
        assert len(live.calls) == 1
        traveller.shift(datetime.timedelta(seconds=command_views.CACHE_SECONDS + 1))
        assert client.get(url).json()["version"] == "v2"
    assert len(live.calls) == 2


def test_the_live_json_answers_only_get(client, personas, live):
    client.force_login(personas[PostCode.SHIFT_LEAD])
    assert client.post(reverse("backoffice:command_live_json")).status_code == 405


def test_the_static_files_and_the_echarts_licence_are_shipped():
    from django.contrib.staticfiles import finders

    for path in (
        "vendor/echarts/echarts.min.js",
        "vendor/echarts/LICENSE",
        "vendor/echarts/NOTICE",
        "vendor/echarts/licenses/LICENSE-d3",
        "backoffice/command-screen.js",
        "backoffice/command-screen.css",
    ):
        assert finders.find(path), path
    script = Path(finders.find("vendor/echarts/echarts.min.js")).read_text(encoding="utf-8")
    assert "eval(" not in script


def test_a_quiet_day_renders_with_empty_lists(client, personas, live):
    quiet = sample_figures(intake=0, version="v0")
    for key in ("open_by_state", "cases_by_stage", "top_categories", "hot_spots"):
        quiet[key] = []
    quiet["intake_today"]["by_channel"] = []
    quiet["shares_721"] = {"period": "2026年12月", "handled": 0, "items": []}
    live.figures = quiet
    client.force_login(personas[PostCode.SHIFT_LEAD])
    for name in ("backoffice:command_centre", "backoffice:command_screen"):
        page = client.get(reverse(name)).content.decode()
        assert page.count('class="cc-empty"') == 6
        assert '<span class="cc-num">0</span>' in page


def test_the_real_figures_link_to_lists_the_shift_leader_can_open(client, city):
    from tests.reports.helpers import submit

    with time_machine.travel(NOW, tick=False):
        submit(city)
        client.force_login(city.people[PostCode.SHIFT_LEAD])
        figures = client.get(reverse("backoffice:command_live_json")).json()
        assert figures["intake_today"]["count"] == 1
        page = client.get(reverse("backoffice:command_screen")).content.decode()
        links = {link.replace("&amp;", "&") for link in re.findall(r'<a [^>]*href="([^"]+)"', page)}
        for url in every_url(figures):
            assert url in links
            assert client.get(url).status_code == 200, url
