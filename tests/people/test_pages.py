from django.urls import reverse

from fangkong.people.models import Household, Resident
from tests.world import every


def test_a_grid_worker_adds_a_household_and_a_member(world, as_user):
    client = as_user(world.users["grid"])
    building = world.buildings["350502001001001"]
    response = client.post(reverse("household_create", args=[building.pk]), {"number": "102"})
    household = every(Household).get(building=building, number="102")
    assert response.url == reverse("household_detail", args=[household.pk])
    response = client.post(
        reverse("resident_create", args=[household.pk]),
        {
            "name": "郑小红",
            "id_number": "350502199506152011",
            "phone": "13912345678",
            "relation_to_head": "head",
            "residence": "registered_living",
        },
    )
    assert response.status_code == 302
    resident = every(Resident).get(name="郑小红")
    assert resident.sex == "male" and resident.area_path == building.area_path


def test_a_wrong_id_number_is_shown_in_chinese_and_saves_nothing(world, as_user):
    client = as_user(world.users["grid"])
    household = world.households["350502001001001"]
    before = every(Resident).count()
    response = client.post(
        reverse("resident_create", args=[household.pk]),
        {
            "name": "错号",
            "id_number": "350502199002023348",
            "relation_to_head": "child",
            "residence": "registered_living",
        },
    )
    assert response.status_code == 200
    assert "身份证号校验位错误" in response.content.decode()
    assert every(Resident).count() == before


def test_household_pages_show_masked_numbers(world, as_user):
    household = world.households["350502001001001"]
    text = as_user(world.users["grid"]).get(reverse("household_detail", args=[household.pk]))
    text = text.content.decode()
    assert "350502********123X" in text and "138****8000" in text
    assert "35050219900101123X" not in text and "13800138000" not in text


def test_a_volunteer_reads_households_but_adds_none(world, as_user):
    client = as_user(world.users["volunteer"])
    building = world.buildings["350502001001001"]
    assert client.get(reverse("building_detail", args=[building.pk])).status_code == 200
    assert client.get(reverse("household_create", args=[building.pk])).status_code == 403


def test_a_duplicate_house_number_is_refused_on_the_form(world, as_user):
    client = as_user(world.users["grid"])
    building = world.buildings["350502001001001"]
    response = client.post(reverse("household_create", args=[building.pk]), {"number": "甲格101"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert every(Household).filter(building=building).count() == 1
