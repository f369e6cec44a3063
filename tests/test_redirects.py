"""`next=` is followed only to a page of this site (issue 12, point 5): every form that
sends the user back honours it through `fangkong.web.redirect_back`."""

from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory
from django.urls import reverse

from fangkong.people.models import KeyGroup
from fangkong.web import local_url

GRID = "350502001001001"
FOREIGN = [
    "https://evil.example/x",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http://testserver@evil.example/",
    " //evil.example/x",
    "\x08//evil.example",
    "resident_list",  # a view name: once reversed, and a 500 when it named none
    "no-such-view",
    "residents/",
    "",
]


def routes(world):
    """(url, data, the page's own default) of every form that honours `next`."""
    resident = world.residents[GRID]
    household = world.households[GRID]
    alert = world.alerts[GRID]
    return [
        (
            reverse("household_assign"),
            {"household": household.pk, "worker": world.workers[GRID].pk},
            reverse("household_detail", args=[household.pk]),
        ),
        (
            reverse("key_group_add", args=[resident.pk]),
            {"kind": KeyGroup.Kind.LONE_ELDERLY},
            reverse("resident_detail", args=[resident.pk]),
        ),
        (
            reverse("suggestion_dismiss", args=[resident.pk]),
            {"kind": KeyGroup.Kind.TENANT},
            reverse("resident_detail", args=[resident.pk]),
        ),
        (
            reverse("alert_dispose", args=[alert.pk]),
            {"disposition": "referred", "note": ""},
            reverse("monitoring_plan", args=[alert.plan_id]),
        ),
    ]


def is_local(location):
    parts = urlsplit(location)
    return location.startswith("/") and not parts.netloc and "\\" not in location[:2]


@pytest.mark.parametrize("target", FOREIGN)
def test_a_next_off_the_site_falls_back_to_the_pages_own(world, as_user, target):
    client = as_user(world.users["community"])
    for url, data, default in routes(world):
        response = client.post(url, {**data, "next": target})
        assert response.status_code == 302, (url, target, response.status_code)
        assert response["Location"] == default, (url, target)


def test_a_next_on_the_site_is_followed(world, as_user):
    client = as_user(world.users["community"])
    for url, data, _default in routes(world):
        back = f"{reverse('resident_list')}?page=2&status=active"
        response = client.post(url, {**data, "next": back})
        assert response.status_code == 302
        assert response["Location"] == back
        assert is_local(response["Location"])


def test_a_whole_url_of_the_own_host_is_followed_but_not_downgraded(settings):
    settings.ALLOWED_HOSTS = ["fk.example"]
    factory = RequestFactory()
    plain = factory.get("/", HTTP_HOST="fk.example")
    assert local_url(plain, "http://fk.example/residents/", "/") == "http://fk.example/residents/"
    assert local_url(plain, "http://other.example/residents/", "/") == "/"
    secure = factory.get("/", HTTP_HOST="fk.example", secure=True)
    assert local_url(secure, "http://fk.example/residents/", "/") == "/"
    assert (
        local_url(secure, "https://fk.example/residents/", "/") == "https://fk.example/residents/"
    )


def test_the_export_refusal_goes_back_only_to_a_page_of_the_site(world, as_user, monkeypatch):
    """An export too long to write sends the user back whence they came (the Referer), but
    only to a page of this site."""
    monkeypatch.setattr("fangkong.people.views.EXPORT_LIMIT", 0)
    client = as_user(world.users["community"])
    for referer in ["https://evil.example/x", "resident_list", "//evil.example/"]:
        response = client.get(reverse("resident_export"), HTTP_REFERER=referer)
        assert response.status_code == 302
        assert response["Location"] == reverse("resident_list")
    response = client.get(reverse("resident_export"), HTTP_REFERER="http://testserver/residents/")
    assert response["Location"] == "http://testserver/residents/"
