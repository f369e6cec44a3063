"""The gate's figures of the daily report."""

import datetime

import pytest
from django.utils import timezone

from fangkong.checkpoints.reporting import compute
from fangkong.reports.registry import sections
from tests.checkpoints.helpers import (
    COMMUNITY,
    OTHER_COMMUNITY,
    OUTSIDE,
    fresh,
    gate,
    passage,
    visitor,
)

pytestmark = pytest.mark.django_db


def test_the_days_passages_fevers_and_codes_of_the_community(world):
    fresh(world)
    east, west = gate(world), gate(world, name="西门")
    passage(world, east, temperature="37.5")
    passage(world, east, direction="out", health_code="red")
    passage(world, west, visitor=visitor())
    passage(world, east, recorded_at=timezone.now() - datetime.timedelta(days=2))
    elsewhere = gate(world, OTHER_COMMUNITY)
    passage(world, elsewhere, by="sysadmin", resident=world.residents[OUTSIDE])
    today = timezone.localdate()
    figures = compute(world.areas[COMMUNITY], today, timezone.now())
    assert figures == {
        "passages_in": 2,
        "passages_out": 1,
        "gate_fever": 1,
        "gate_codes": 1,
        "checkpoints_active": 2,
    }
    assert "checkpoints" in [section.key for section in sections()]
