import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from fangkong.people import services
from fangkong.people.models import Resident
from fangkong.pii import clean_id_number, lookup_digest, mask_id_number, mask_phone
from tests.world import every


def test_a_valid_id_number_gives_sex_and_birth_date(world):
    household = world.households["350502001001001"]
    resident = services.register_resident(
        actor=world.users["grid"],
        household=household,
        name="陈一",
        id_number="３５０５０２１９９５０６１５２０１１ ",  # full-width, as pasted from Word
        phone="+86 139-0000-1111",
        relation_to_head=Resident.Relation.CHILD,
    )
    resident.refresh_from_db()
    assert resident.id_number == "350502199506152011"
    assert resident.sex == "male"
    assert resident.birth_date == datetime.date(1995, 6, 15)
    assert resident.phone == "13900001111"
    assert resident.id_number_hash == lookup_digest(" 350502199506152011")
    assert resident.area_path == household.area_path


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("350502199506152012", "校验位"),
        ("3.50502E+17", "科学计数法"),
        ("35050219950615", "18"),
        ("350502199513152015", "出生日期"),
    ],
)
def test_an_invalid_id_number_is_refused_with_a_clear_message(number, message):
    with pytest.raises(ValidationError) as error:
        clean_id_number(number)
    assert message in " ".join(error.value.messages)


def test_an_invalid_id_number_saves_nothing(world):
    before = every(Resident).count()
    with pytest.raises(ValidationError) as error:
        services.register_resident(
            actor=world.users["grid"],
            household=world.households["350502001001001"],
            name="错号",
            id_number="350502199506152012",
        )
    assert "id_number" in error.value.message_dict
    assert every(Resident).count() == before


def test_one_person_is_registered_once(world):
    with pytest.raises(ValidationError):
        services.register_resident(
            actor=world.users["grid"],
            household=world.households["350502001001001"],
            name="重复",
            id_number=world.residents["350502001001002"].id_number,
        )


def test_numbers_are_masked():
    assert mask_id_number("35050219950615201X") == "350502********201X"
    assert mask_phone("13800138000") == "138****8000"


def test_the_database_never_holds_an_id_number_or_phone_in_plain_text(world):
    resident = world.residents["350502001001001"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_resident WHERE id = %s", [resident.pk])
        raw = " ".join(str(value) for value in cursor.fetchone())
    assert resident.id_number and resident.id_number not in raw
    assert resident.phone and resident.phone not in raw
    assert resident.id_number[-6:] not in raw


def test_an_id_number_in_other_digits_is_refused():
    arabic_indic = "350502" + "".join(chr(0x0660 + int(d)) for d in "19900101123") + "X"
    with pytest.raises(ValidationError):
        clean_id_number(arabic_indic)


def test_pages_and_api_show_the_age_not_the_birth_date(world, as_user):
    from rest_framework.test import APIClient

    resident = world.residents["350502001001001"]
    page = as_user(world.users["grid"]).get(f"/residents/{resident.pk}/").content.decode()
    assert "1990-01-01" not in page and str(resident.age) in page
    api = APIClient()
    api.force_authenticate(world.users["grid"])
    row = api.get(f"/api/residents/{resident.pk}/").json()
    assert "birth_date" not in row and row["age"] == resident.age
