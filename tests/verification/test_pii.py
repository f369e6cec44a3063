"""Lists hold ID numbers and phones: none is stored in plain text (read back raw)."""

import pytest

from tests.people.test_pii_storage import every_value, needles
from tests.verification.helpers import NEWCOMER_ID, upload

pytestmark = pytest.mark.django_db


def test_no_number_of_a_list_is_stored_in_plain_text(world):
    vlist = upload(world, f"新来者,{NEWCOMER_ID},13912345678,返乡,", "某人,,13987654321,返乡,")
    assert vlist.rows_unmatched == 2
    wanted = needles([NEWCOMER_ID], ["13912345678", "13987654321"])
    hits = [
        f"{table}.{column}"
        for table, column, data in every_value()
        for needle in wanted
        if needle in data
    ]
    assert hits == []
