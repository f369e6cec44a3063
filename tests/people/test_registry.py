import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from fangkong.people import services
from fangkong.people.models import Resident
from fangkong.pii import clean_id_number, lookup_digest, mask_id_number, mask_phone


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
    before = Resident.all_objects.count()
    with pytest.raises(ValidationError) as error:
        services.register_resident(
            actor=world.users["grid"],
            household=world.households["350502001001001"],
            name="错号",
            id_number="350502199506152012",
        )
    assert "id_number" in error.value.message_dict
    assert Resident.all_objects.count() == before


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
