"""The API's pages: `count` stops at the cap, `next` goes on while rows follow."""

import pytest
from rest_framework.test import APIClient

from fangkong.pagination import CappedPagination


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(CappedPagination, "page_size", 2)
    monkeypatch.setattr(CappedPagination, "cap", 3)


def county_areas(world, **query):
    client = APIClient()
    client.force_authenticate(world.users["county"])
    return client.get("/api/areas/", query, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_the_count_stops_at_the_cap_and_the_pages_go_on(world, small_pages):
    every_code = []
    page, body = 1, county_areas(world).json()
    assert body["previous"] is None
    while True:
        every_code += [area["code"] for area in body["results"]]
        if body["next"] is None:
            break
        assert (body["count"], body["count_capped"]) == (max(3, page * 2 + 1), True)
        page += 1
        body = county_areas(world, page=page).json()
        assert body["previous"].startswith("http://testserver/api/areas/")
    assert page > 2  # beyond the cap's last page
    assert (body["count"], body["count_capped"]) == (len(every_code), False)
    assert len(every_code) == len(set(every_code)) > 3


def test_a_short_list_is_counted_exactly(world):
    body = county_areas(world, level="grid").json()
    assert body["count"] == len(body["results"]) and body["count_capped"] is False
    assert body["next"] is None and body["previous"] is None


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "99999999999999999999"])
def test_a_page_that_is_not_there_is_a_404_in_chinese(world, small_pages, page):
    response = county_areas(world, page=page)
    assert response.status_code == 404
    assert response.json()["detail"] == "无效页面。"
