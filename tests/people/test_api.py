"""The people API: scope, masking, search, writes through the services, the audited reveal."""

import pytest
from rest_framework.test import APIClient

from fangkong.audit.models import AuditEvent
from fangkong.people.models import Household, HouseholdAssignment, KeyGroup, Resident
from tests.people.helpers import id_number, register, years_before_today
from tests.world import every

GRID = "350502001001001"
GRID2 = "350502001001002"
OTHER_GRID = "350502002001001"  # the other township


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def people(world):
    born = years_before_today(30)
    return {
        "zhang": register(world, GRID, "张三丰", born=born, serial="451", phone="13912345678"),
        "li": register(world, GRID, "李四", born=born, serial="463", phone="13700005678"),
        "far": register(world, OTHER_GRID, "张三", born=born, serial="475", phone="13600001111"),
    }


def reveals(resident):
    return every(AuditEvent).filter(
        action="resident.reveal", target_type="resident", target_id=resident.pk
    )


# Reading ---------------------------------------------------------------------------------


def test_residents_are_listed_masked_with_status_and_key_groups(world):
    response = api_as(world.users["grid"]).get("/api/residents/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["name"] == "甲格居民"
    assert row["id_number"] == "350502********123X"
    assert row["phone"] == "138****8000"
    assert row["status"] == "active"
    assert row["key_groups"] == ["disabled"]
    assert "birth_date" not in row  # with the masked ID number it would give the number away
    text = response.content.decode()
    assert "35050219900101123X" not in text and "13800138000" not in text


def test_another_grids_resident_is_not_found(world):
    client = api_as(world.users["grid"])
    outside = world.residents[GRID2]
    assert client.get(f"/api/residents/{outside.pk}/").status_code == 404
    assert client.patch(f"/api/residents/{outside.pk}/", {"name": "x"}).status_code == 404
    assert client.post(f"/api/residents/{outside.pk}/reveal/").status_code == 404
    assert not reveals(outside).exists()
    assert every(Resident).get(pk=outside.pk).name == "乙格居民"


def test_a_volunteer_reads_no_residents_through_the_api(world):
    client = api_as(world.users["volunteer"])
    assert client.get("/api/residents/").status_code == 403
    assert client.get("/api/households/").status_code == 403
    assert client.get("/api/key-groups/").status_code == 403


def test_search_by_initials_id_number_and_phone_through_the_api(world, people):
    client = api_as(world.users["grid"])
    zhang = people["zhang"]

    def search(text):
        return names(client.get("/api/residents/", {"q": text}))

    assert search("zs") == {"张三丰"}  # not 张三 of the other township
    assert search("ZSF") == {"张三丰"}
    assert search("张") == {"张三丰"}
    assert search(zhang.id_number) == {"张三丰"}
    assert search(zhang.id_number[-4:]) == {"张三丰"}
    assert search(zhang.id_number[-6:]) == {"张三丰"}
    assert search("13912345678") == {"张三丰"}
    assert search("5678") == {"张三丰", "李四"}
    assert search(people["far"].id_number) == set()
    assert names(api_as(world.users["county"]).get("/api/residents/", {"q": "zs"})) == {
        "张三丰",
        "张三",
    }


def test_filters_and_pagination(world, people):
    client = api_as(world.users["community"])
    body = client.get("/api/residents/", {"within": GRID, "key_group": "disabled"}).json()
    assert {r["name"] for r in body["results"]} == {"甲格居民"}
    assert set(body) == {"count", "count_capped", "next", "previous", "results"}
    assert names(client.get("/api/residents/", {"within": OTHER_GRID})) == set()
    assert client.get("/api/residents/", {"age_min": "abc"}).status_code == 400


# Writing ---------------------------------------------------------------------------------


def test_a_resident_is_registered_through_the_api(world):
    client = api_as(world.users["grid"])
    number = id_number(years_before_today(40), "513")
    response = client.post(
        "/api/residents/",
        {
            "household": world.households[GRID].pk,
            "name": "王 五",
            "id_number": number,
            "phone": "139-0000-1234",
            "relation_to_head": "spouse",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "王 五" and body["sex"] == "male" and body["age"] == 40
    assert body["id_number"] == f"350502********{number[-4:]}"
    assert body["phone"] == "139****1234"
    assert number not in response.content.decode()
    resident = every(Resident).get(pk=body["id"])
    assert (resident.id_number, resident.phone) == (number, "13900001234")
    assert resident.name_initials == "ww" and resident.area_path == world.areas[GRID].path
    assert every(AuditEvent).filter(action="resident.add", target_id=resident.pk).exists()


def test_registering_into_another_grids_household_is_refused(world):
    client = api_as(world.users["grid"])
    before = every(Resident).count()
    for household in (world.households[GRID2], world.households[OTHER_GRID]):
        response = client.post(
            "/api/residents/", {"household": household.pk, "name": "越界"}, format="json"
        )
        assert response.status_code == 400
        assert set(response.json()) == {"household"}
        # The same answer as for a household that does not exist: nothing confirmed.
        assert str(household.pk) in response.json()["household"][0]
    assert every(Resident).count() == before


def test_bad_input_is_answered_in_chinese_and_saves_nothing(world):
    client = api_as(world.users["grid"])
    before = every(Resident).count()
    response = client.post(
        "/api/residents/",
        {
            "household": world.households[GRID].pk,
            "name": "错号",
            "id_number": "350502199002023348",
            "phone": "12345",
            "relation_to_head": "cousin",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"relation_to_head"}  # the body's form first, then the service
    response = client.post(
        "/api/residents/",
        {"household": world.households[GRID].pk, "name": "错号", "id_number": "350502199002023348"},
        format="json",
    )
    assert response.status_code == 400
    assert "校验位" in response.json()["id_number"][0]
    response = client.post(
        "/api/residents/",
        {"household": world.households[GRID].pk, "name": "错号", "phone": "12345"},
        format="json",
    )
    assert response.status_code == 400 and set(response.json()) == {"phone"}
    assert every(Resident).count() == before


def test_a_role_that_only_reads_cannot_register(world):
    response = api_as(world.users["medical"]).post(
        "/api/residents/", {"household": world.households[GRID].pk, "name": "医"}, format="json"
    )
    assert response.status_code == 403
    assert not every(Resident).filter(name="医").exists()


def test_a_patch_without_numbers_keeps_them(world, people):
    client = api_as(world.users["grid"])
    zhang = people["zhang"]
    url = f"/api/residents/{zhang.pk}/"
    response = client.patch(url, {"name": "张三峰"}, format="json")
    assert response.status_code == 200, response.json()
    zhang.refresh_from_db()
    assert zhang.name == "张三峰" and zhang.name_initials == "zsf"
    assert zhang.id_number == people["zhang"].id_number and zhang.phone == "13912345678"
    change = every(AuditEvent).filter(action="resident.change", target_id=zhang.pk).get()
    assert change.detail == {"fields": ["name"]}

    # What the API read, sent back as it was (masked numbers included), changes nothing.
    shown = client.get(url).json()
    assert client.put(url, shown, format="json").status_code == 200
    zhang.refresh_from_db()
    assert (zhang.id_number, zhang.phone) == (people["zhang"].id_number, "13912345678")
    assert every(AuditEvent).filter(action="resident.change").count() == 1

    # A new phone; the ID number stays.
    assert client.patch(url, {"phone": "13800001111"}, format="json").status_code == 200
    zhang.refresh_from_db()
    assert zhang.phone == "13800001111" and zhang.id_number == people["zhang"].id_number

    # A masked number that is not the one on record is refused, not stored.
    response = client.patch(url, {"id_number": "350502********0000"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"id_number"}

    # An empty string removes the number.
    assert client.patch(url, {"phone": ""}, format="json").status_code == 200
    zhang.refresh_from_db()
    assert zhang.phone == "" and zhang.phone_hash == "" and zhang.phone_tail == ""


def test_a_patch_cannot_take_another_persons_id_number(world, people):
    client = api_as(world.users["grid"])
    response = client.patch(
        f"/api/residents/{people['li'].pk}/",
        {"id_number": people["far"].id_number},
        format="json",
    )
    assert response.status_code == 400 and set(response.json()) == {"id_number"}


def test_move_and_status(world, people):
    client = api_as(world.users["community"])
    zhang = people["zhang"]
    target = world.households[GRID2]
    response = client.post(f"/api/residents/{zhang.pk}/move/", {"household": target.pk})
    assert response.status_code == 200, response.json()
    assert response.json()["household"] == target.pk and response.json()["area"] == GRID2
    # The grid worker of the first grid no longer sees the person.
    assert api_as(world.users["grid"]).get(f"/api/residents/{zhang.pk}/").status_code == 404

    outside = world.households[OTHER_GRID]
    response = client.post(f"/api/residents/{zhang.pk}/move/", {"household": outside.pk})
    assert response.status_code == 400 and set(response.json()) == {"household"}

    resident = world.residents[GRID]
    response = client.post(
        f"/api/residents/{resident.pk}/status/", {"status": "deceased", "note": "病故"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "deceased" and response.json()["key_groups"] == []
    response = client.post(f"/api/residents/{resident.pk}/status/", {"status": "deceased"})
    assert response.status_code == 400 and set(response.json()) == {"status"}
    response = client.post(f"/api/residents/{resident.pk}/status/", {"status": "gone"})
    assert response.status_code == 400


# The reveal --------------------------------------------------------------------------------


def test_the_reveal_shows_the_whole_numbers_and_writes_one_audit_record(world):
    resident = world.residents[GRID]
    response = api_as(world.users["grid"]).post(f"/api/residents/{resident.pk}/reveal/")
    assert response.status_code == 200
    assert response.json() == {"id_number": "35050219900101123X", "phone": "13800138000"}
    assert "no-store" in response["Cache-Control"]
    [event] = reveals(resident)
    assert event.actor == world.users["grid"] and event.area_path == resident.area_path
    assert event.detail == {}


@pytest.mark.parametrize("username", ["township", "county", "building_head"])
def test_a_role_without_the_reveal_permission_gets_403_and_no_record(world, username):
    resident = world.residents[GRID]
    response = api_as(world.users[username]).post(f"/api/residents/{resident.pk}/reveal/")
    assert response.status_code == 403
    assert "35050219900101123X" not in response.content.decode()
    assert not reveals(resident).exists()


def test_the_reveal_takes_post_only(world):
    resident = world.residents[GRID]
    response = api_as(world.users["grid"]).get(f"/api/residents/{resident.pk}/reveal/")
    assert response.status_code == 405
    assert not reveals(resident).exists()


# Key groups ------------------------------------------------------------------------------


def test_key_groups_are_tagged_listed_and_ended(world, people):
    client = api_as(world.users["grid"])
    zhang = people["zhang"]
    response = client.post(
        "/api/key-groups/", {"resident": zhang.pk, "kind": "lone_elderly", "note": "独居"}
    )
    assert response.status_code == 201, response.json()
    tag = response.json()
    assert tag["current"] is True and tag["recorded_by"] == "grid-worker"
    response = client.post("/api/key-groups/", {"resident": zhang.pk, "kind": "lone_elderly"})
    assert response.status_code == 400 and set(response.json()) == {"kind"}

    listed = client.get("/api/key-groups/", {"resident": zhang.pk}).json()["results"]
    assert [t["kind"] for t in listed] == ["lone_elderly"]
    assert {t["resident_name"] for t in client.get("/api/key-groups/").json()["results"]} == {
        "甲格居民",
        "张三丰",
    }

    response = client.post(f"/api/key-groups/{tag['id']}/end/", {})
    assert response.status_code == 200 and response.json()["current"] is False
    assert client.post(f"/api/key-groups/{tag['id']}/end/", {}).status_code == 400
    current = client.get("/api/key-groups/", {"current": "true"}).json()["results"]
    assert [t["resident_name"] for t in current] == ["甲格居民"]


def test_key_groups_keep_to_the_scope(world, people):
    client = api_as(world.users["grid"])
    outside = world.key_groups[GRID2]
    assert client.get(f"/api/key-groups/{outside.pk}/").status_code == 404
    assert client.post(f"/api/key-groups/{outside.pk}/end/", {}).status_code == 404
    response = client.post("/api/key-groups/", {"resident": people["far"].pk, "kind": "disabled"})
    assert response.status_code == 400 and set(response.json()) == {"resident"}
    assert every(KeyGroup).get(pk=outside.pk).ended_on is None


# Households ------------------------------------------------------------------------------


def test_households_are_created_changed_and_listed_with_their_worker(world):
    client = api_as(world.users["grid"])
    building = world.buildings[GRID]
    response = client.post("/api/households/", {"building": building.pk, "number": "102"})
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["area"] == GRID and created["responsible_worker"] is None
    response = client.post("/api/households/", {"building": building.pk, "number": "102"})
    assert response.status_code == 400

    response = client.patch(f"/api/households/{created['id']}/", {"address": "新华路1号"})
    assert response.status_code == 200 and response.json()["number"] == "102"
    assert every(Household).get(pk=created["id"]).address == "新华路1号"

    [listed] = [
        h
        for h in client.get("/api/households/").json()["results"]
        if h["id"] == world.households[GRID].pk
    ]
    worker = world.workers[GRID]
    assert listed["responsible_worker"] == {"id": worker.pk, "name": worker.name}


def test_a_household_cannot_be_created_or_moved_outside_the_scope(world):
    client = api_as(world.users["grid"])
    response = client.post(
        "/api/households/", {"building": world.buildings[GRID2].pk, "number": "越界"}
    )
    assert response.status_code == 400 and set(response.json()) == {"building"}
    household = world.households[GRID]
    response = client.patch(
        f"/api/households/{household.pk}/", {"building": world.buildings[OTHER_GRID].pk}
    )
    assert response.status_code == 400
    assert client.patch(f"/api/households/{world.households[GRID2].pk}/", {}).status_code == 404
    assert not every(Household).filter(number="越界").exists()


def test_households_are_assigned_to_a_worker(world):
    client = api_as(world.users["community"])
    household = world.households[GRID]
    other = world.workers[GRID2]  # a grid worker of the second grid only
    body = {"households": [household.pk], "worker": other.pk}
    response = client.post("/api/households/assign/", body, format="json")
    assert response.status_code == 400 and set(response.json()) == {"worker"}

    worker = world.workers[GRID]
    new = every(Household).create(area=household.area, building=household.building, number="9")
    body = {"households": [new.pk], "worker": worker.pk}
    response = client.post("/api/households/assign/", body, format="json")
    assert response.status_code == 200 and response.json() == {"assigned": 1}
    assert every(HouseholdAssignment).get(household=new).worker == worker
    assert names_of(client.get("/api/households/", {"worker": worker.pk})) == {
        household.number,
        "9",
    }
    assert client.get("/api/households/", {"unassigned": "true"}).json()["count"] == 0

    # A household outside the scope is "does not exist"; a supervisor may not assign.
    body = {"households": [world.households[OTHER_GRID].pk], "worker": worker.pk}
    response = client.post("/api/households/assign/", body, format="json")
    assert response.status_code == 400 and set(response.json()) == {"households"}
    body = {"households": [new.pk], "worker": worker.pk}
    response = api_as(world.users["township"]).post("/api/households/assign/", body, format="json")
    assert response.status_code == 403


def names_of(response):
    return {row["number"] for row in response.json()["results"]}


def test_a_role_without_the_read_permission_finds_no_record(world):
    client = api_as(world.users["volunteer"])
    resident = world.residents[GRID]  # in the volunteer's grid
    assert client.get(f"/api/residents/{resident.pk}/").status_code == 404
    assert client.post(f"/api/residents/{resident.pk}/reveal/").status_code == 404
    assert not reveals(resident).exists()


def test_lists_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    born = years_before_today(20)
    for serial in range(201, 241, 2):
        person = register(world, GRID, "批量", born=born, serial=str(serial))
        every(KeyGroup).create(
            resident=person, area=person.area, kind="tenant", found_on=born, recorded_by=None
        )
    client = api_as(world.users["grid"])
    for url, rows in [
        ("/api/residents/", 21),
        ("/api/key-groups/", 21),
        ("/api/households/", 1),
    ]:
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.json()["count"] == rows, url
