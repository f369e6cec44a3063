import pytest
from django.db import connection
from django.urls import reverse

from fangkong.people.models import Resident
from fangkong.people.selectors import search_residents
from fangkong.people.services import name_initials
from tests.people.helpers import register, years_before_today

GRID = "350502001001001"
OTHER_GRID = "350502002001001"


@pytest.mark.parametrize(
    ("name", "initials"),
    [("张三", "zs"), ("欧阳娜娜", "oynn"), ("李 Anna", "lanna"), ("王小２", "wx2")],
)
def test_names_get_their_pinyin_initials(name, initials):
    assert name_initials(name) == initials


@pytest.fixture
def people(world):
    born = years_before_today(30)
    return {
        "zhang": register(world, GRID, "张三丰", born=born, serial="451", phone="13912345678"),
        "zhao": register(world, GRID, "李四", born=born, serial="463", phone="13700005678"),
        "far": register(world, OTHER_GRID, "张三", born=born, serial="475", phone="13600001111"),
    }


def found(world, username, text):
    residents = Resident.objects.visible_to(world.users[username], "people.view_resident")
    return {r.name for r in search_residents(residents, text)}


def test_search_by_name_initials_id_number_and_phone(world, people):
    zhang = people["zhang"]
    assert found(world, "grid", "张三") == {"张三丰"}
    assert found(world, "grid", "zs") == {"张三丰"}
    assert found(world, "grid", "ZSF") == {"张三丰"}
    assert found(world, "grid", zhang.id_number) == {"张三丰"}
    assert found(world, "grid", zhang.id_number.lower()[:-1] + zhang.id_number[-1]) == {"张三丰"}
    assert found(world, "grid", zhang.id_number[-6:]) == {"张三丰"}
    assert found(world, "grid", zhang.id_number[-5:]) == {"张三丰"}
    assert found(world, "grid", "13912345678") == {"张三丰"}
    assert found(world, "grid", "139 1234 5678") == {"张三丰"}
    # The last four digits of a phone: both people whose phones end in 5678.
    assert found(world, "grid", "5678") == {"张三丰", "李四"}
    assert found(world, "grid", "") >= {"张三丰", "李四"}
    assert found(world, "grid", "王") == set()


def test_search_keeps_to_the_scope(world, people):
    far = people["far"]
    assert found(world, "grid", far.id_number) == set()
    assert found(world, "grid", "13600001111") == set()
    assert found(world, "grid", "zs") == {"张三丰"}
    assert found(world, "county", "zs") == {"张三丰", "张三"}


sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's planner picks the name's index itself"
)


@sqlite_only
def test_on_sqlite_a_name_search_takes_its_matches_from_the_names_index(world, people):
    residents = Resident.objects.visible_to(world.users["county"], "people.view_resident")
    for text, index in (("zs", "resident_initials_prefix"), ("张三", "resident_name_place")):
        sql, params = search_residents(residents, text).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert f"USING INDEX {index}" in plan or f"USING COVERING INDEX {index}" in plan


@sqlite_only
def test_a_name_search_with_more_matches_than_the_pager_counts_shows_that_many(
    world, people, monkeypatch
):
    monkeypatch.setattr("fangkong.people.selectors.PREFIX_CANDIDATES", 1)
    assert len(found(world, "county", "zs")) == 1
    assert found(world, "grid", "zs") == {"张三丰"}


def test_six_trailing_characters_must_all_match(world, people):
    zhang = people["zhang"]
    wrong = ("1" if zhang.id_number[-6] != "1" else "2") + zhang.id_number[-5:]
    assert found(world, "grid", wrong) == set()


def test_the_list_page_searches_and_refreshes_rows_only_for_htmx(world, people, as_user):
    client = as_user(world.users["grid"])
    page = client.get(reverse("resident_list"), {"q": "zs"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "张三丰" in html and "李四" not in html
    assert "<html" in html
    rows = client.get(reverse("resident_list"), {"q": "zs"}, HTTP_HX_REQUEST="true")
    assert "<html" not in rows.content.decode() and "张三丰" in rows.content.decode()
    # Whole numbers never reach the list.
    assert people["zhang"].id_number not in html and "13912345678" not in html


def test_the_list_page_searches_by_the_last_six_characters(world, people, as_user):
    client = as_user(world.users["grid"])
    page = client.get(reverse("resident_list"), {"q": people["zhang"].id_number[-6:]})
    assert page.status_code == 200 and "张三丰" in page.content.decode()


def test_long_lists_count_up_to_the_cap_only(world, people, as_user, monkeypatch):
    from fangkong.web import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    html = as_user(world.users["grid"]).get(reverse("resident_list")).content.decode()
    assert "共 2 条以上" in html
    html = as_user(world.users["grid"]).get(reverse("resident_list"), {"q": "zs"}).content.decode()
    assert "共 1 条" in html
