import datetime

import pytest
from django.utils import timezone

from fangkong.people.models import KeyGroup
from tests.world import GRID_TAGS, every


def tag_lone_elderly(world):
    """Tag each grid's resident lone elderly (the key group their care plan is for)."""
    for i, code in enumerate(GRID_TAGS, start=1):
        every(KeyGroup).create(
            pk=15080 + i,
            resident=world.residents[code],
            area=world.areas[code],
            kind=KeyGroup.Kind.LONE_ELDERLY,
            found_on=timezone.localdate() - datetime.timedelta(days=30),
        )


@pytest.fixture(autouse=True)
def lone_elderly_tags(request):
    """The visits tests' world: its residents live alone (kept out of the shared world)."""
    if "world" in request.fixturenames:
        tag_lone_elderly(request.getfixturevalue("world"))
