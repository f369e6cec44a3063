import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.facilities.models import DisinfectionLog
from tests.facilities.helpers import COMMUNITY, GRID, OTHER_GRID, TOWNSHIP, disinfect, hours_ago
from tests.world import every

pytestmark = pytest.mark.django_db


class TestLogDisinfection:
    def test_a_place_is_logged_with_who_what_and_when_and_audited(self, world):
        log = disinfect(world, items="桌椅、门把手", disinfected_at=hours_ago(2))
        assert log.area == world.areas[GRID]
        assert log.area_path == world.areas[GRID].path
        assert (log.place, log.items, log.disinfected_by) == ("村委会大厅", "桌椅、门把手", "李四")
        assert log.recorded_by == world.users["grid"]
        event = every(AuditEvent).get(action="facilities.disinfection", target_id=log.pk)
        assert event.detail["items"] == "桌椅、门把手"

    def test_another_app_logs_shared_items_under_its_subject(self, world):
        # What the elections app does for a polling station and its ballot boxes.
        log = disinfect(
            world,
            user="community",
            code=COMMUNITY,
            place="第一投票站",
            items="投票箱、签字笔",
            subject="elections.pollingstation:7",
        )
        assert every(DisinfectionLog).filter(subject="elections.pollingstation:7").get() == log

    def test_a_retried_request_logs_once(self, world):
        key = uuid.uuid4()
        before = every(DisinfectionLog).count()
        first = disinfect(world, client_uuid=key)
        again = disinfect(world, client_uuid=key)
        assert again.pk == first.pk and again.created is False
        assert every(DisinfectionLog).count() == before + 1

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"place": "", "items": ""}, "place"),
            ({"disinfectant": " "}, "disinfectant"),
            ({"disinfected_by": ""}, "disinfected_by"),
            ({"disinfected_at": timezone.now() + datetime.timedelta(hours=2)}, "disinfected_at"),
            ({"disinfected_at": timezone.now() - datetime.timedelta(days=40)}, "disinfected_at"),
        ],
    )
    def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(self, world, change, field):
        before = every(DisinfectionLog).count()
        with pytest.raises(ValidationError) as refused:
            disinfect(world, **change)
        assert field in refused.value.message_dict
        assert every(DisinfectionLog).count() == before

    def test_only_a_community_or_grid(self, world):
        with pytest.raises(ValidationError) as refused:
            disinfect(world, user="township", code=TOWNSHIP)
        assert "area" in refused.value.message_dict

    def test_outside_the_subtree_or_without_the_permission_it_is_refused(self, world):
        with pytest.raises(PermissionDenied):
            disinfect(world, code=OTHER_GRID)
        with pytest.raises(PermissionDenied):
            disinfect(world, user="building_head")
