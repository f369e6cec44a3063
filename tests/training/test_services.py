import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from fangkong.areas.models import Role, RoleKind, Worker
from fangkong.audit.models import AuditEvent
from fangkong.training import selectors, services
from fangkong.training.coverage import BY_AFFILIATION
from fangkong.training.models import Attendance, Training
from fangkong.training.reporting import compute
from tests.training.helpers import (
    COMMUNITY,
    GRID,
    OTHER_GRID,
    PDF,
    SIBLING,
    TOWNSHIP,
    days_ago,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def record(world, user="community", code=COMMUNITY, **kwargs):
    data = {
        "kind": "training",
        "category": "prevention",
        "topic": "个人防护与消毒",
        "held_on": days_ago(1),
        "trainer": "疾控中心王医生",
        "attendees": [world.workers[GRID], world.workers[SIBLING]],
    }
    return services.record_training(
        actor=world.users[user], area=world.areas[code], **{**data, **kwargs}
    )


class TestRecording:
    def test_a_training_is_recorded_with_its_attendees_in_their_own_areas(self, world):
        training = record(world)
        attendances = every(Attendance).filter(training=training)
        assert {a.worker_id for a in attendances} == {
            world.workers[GRID].pk,
            world.workers[SIBLING].pk,
        }
        assert all(a.area_path == world.workers[GRID].area_path for a in attendances)
        assert all(a.held_on == training.held_on for a in attendances)
        event = every(AuditEvent).get(action="training.record", target_id=training.pk)
        assert event.detail["attendees"] == 2

    def test_a_retried_request_records_once(self, world):
        key = uuid.uuid4()
        first = record(world, client_uuid=key)
        again = record(world, client_uuid=key)
        assert first.created and not again.created and again.pk == first.pk
        assert every(Training).filter(client_uuid=key).count() == 1
        assert every(Attendance).filter(training=first).count() == 2

    def test_a_date_in_the_future_is_refused_in_chinese_and_nothing_is_saved(self, world):
        before = every(Training).count(), every(Attendance).count()
        with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
            record(world, held_on=days_ago(-1))
        assert "日期不能晚于今天" in error.value.message_dict["held_on"][0]
        assert (every(Training).count(), every(Attendance).count()) == before

    def test_an_attendee_from_elsewhere_is_refused_and_nothing_is_saved(self, world):
        before = every(Training).count()
        with pytest.raises(ValidationError) as error:
            record(world, attendees=[world.workers[GRID], world.workers[OTHER_GRID]])
        assert "attendees" in error.value.message_dict
        assert every(Training).count() == before

    def test_an_inactive_worker_cannot_attend(self, world):
        worker = world.workers[GRID]
        every(Worker).filter(pk=worker.pk).update(is_active=False)
        worker.refresh_from_db()
        with pytest.raises(ValidationError):
            record(world, attendees=[worker])

    def test_a_grid_worker_or_another_township_cannot_record_here(self, world):
        with pytest.raises(PermissionDenied):
            record(world, user="grid", attendees=[])
        with pytest.raises(PermissionDenied):
            record(world, user="township2", attendees=[])

    def test_a_training_is_held_by_a_county_township_or_community_not_a_grid(self, world):
        with pytest.raises(ValidationError) as error:
            record(world, user="township", code=GRID, attendees=[])
        assert "area" in error.value.message_dict

    def test_the_elections_can_record_their_staffs_training(self, world):
        training = record(world, user="township", code=TOWNSHIP, category="election_staff")
        assert training.category == Training.Category.ELECTION_STAFF

    def test_a_drill_is_a_training_of_kind_drill(self, world):
        drill = record(world, kind="drill", category="emergency", topic="疫情应急处置演练")
        assert drill.get_kind_display() and drill.kind == Training.Kind.DRILL

    def test_bad_length_kind_or_category_are_refused(self, world):
        for bad in ({"minutes": 0}, {"kind": "party"}, {"category": "x"}, {"topic": ""}):
            with pytest.raises(ValidationError):
                record(world, **bad)


class TestAttendeesAndMaterials:
    def test_adding_an_attendee_twice_keeps_one(self, world):
        training = record(world, attendees=[world.workers[GRID]])
        for _ in range(2):
            services.add_attendees(
                actor=world.users["community"],
                training=training,
                attendees=[world.workers[GRID], world.workers[SIBLING]],
            )
        assert every(Attendance).filter(training=training).count() == 2

    def test_an_attendee_recorded_by_mistake_is_removed(self, world):
        training = record(world)
        services.remove_attendee(
            actor=world.users["community"], training=training, worker=world.workers[GRID]
        )
        assert [a.worker_id for a in every(Attendance).filter(training=training)] == [
            world.workers[SIBLING].pk
        ]

    def test_materials_must_be_a_document_or_image(self, world):
        training = record(world)
        fake = SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf")
        with pytest.raises(ValidationError) as error:
            services.attach_materials(
                actor=world.users["community"], training=training, materials=fake
            )
        assert "materials" in error.value.message_dict
        services.attach_materials(
            actor=world.users["community"],
            training=training,
            materials=SimpleUploadedFile("slides.pdf", PDF),
        )
        training.refresh_from_db()
        assert training.materials.name.endswith(".pdf")

    def test_recorded_with_materials(self, world):
        training = record(world, materials=SimpleUploadedFile("讲义.pdf", PDF))
        assert training.materials


class TestRecordAndCoverage:
    def test_a_workers_record_shows_the_trainings_they_attended(self, world):
        training = record(world)
        found = selectors.record_of(world.users["community"], world.workers[GRID])
        assert training.pk in [a.training_id for a in found]
        assert all(a.shown for a in found)

    def test_the_topic_of_a_higher_levels_training_is_not_shown_below(self, world):
        training = record(world, user="township", code=TOWNSHIP)
        found = selectors.record_of(world.users["community"], world.workers[GRID])
        mine = next(a for a in found if a.training_id == training.pk)
        assert not mine.shown

    def test_coverage_per_role_and_child_area(self, world):
        township = world.areas[TOWNSHIP]
        user = world.users["township"]
        since, until = selectors.default_period()
        children = selectors.children_of(user, township)
        before = selectors.coverage(user, township, children, since=since, until=until)
        grid_before = before.area.total(RoleKind.GRID_WORKER)
        # A new grid worker, not trained: the share falls.
        newcomer = every(Worker).create(
            area=world.areas[COMMUNITY], name="新网格员", affiliation="community"
        )
        every(Role).create(worker=newcomer, area=world.areas[GRID], kind=RoleKind.GRID_WORKER)
        after = selectors.coverage(user, township, children, since=since, until=until)
        cell = after.area.total(RoleKind.GRID_WORKER)
        assert cell.workers == grid_before.workers + 1
        assert cell.marks["trained"] == grid_before.marks["trained"]
        community = next(line for line in after.children if line.area.code == COMMUNITY)
        assert community.total(RoleKind.GRID_WORKER).workers >= 2
        # Trained: counted.
        record(world, attendees=[newcomer])
        trained = selectors.coverage(user, township, children, since=since, until=until)
        assert (
            trained.area.total(RoleKind.GRID_WORKER).marks["trained"] == cell.marks["trained"] + 1
        )
        assert trained.area.total(RoleKind.GRID_WORKER).share("trained") is not None

    def test_coverage_counts_only_the_period_and_kind_asked(self, world):
        community = world.areas[COMMUNITY]
        user = world.users["community"]
        record(world, kind="drill", held_on=days_ago(400))
        found = selectors.coverage(
            user, community, [], since=days_ago(30), until=days_ago(0), kind="drill"
        )
        assert all(cell.marks["trained"] == 0 for cell in found.area.cells.values())

    def test_coverage_by_affiliation_counts_social_workers(self, world):
        every(Worker).create(
            area=world.areas[COMMUNITY], name="社工小李", affiliation="social_worker"
        )
        since, until = selectors.default_period()
        found = selectors.coverage(
            world.users["community"],
            world.areas[COMMUNITY],
            [],
            since=since,
            until=until,
            by=BY_AFFILIATION,
        )
        assert found.area.total("social_worker").workers == 1
        assert found.area.total("social_worker").share("trained") == 0

    def test_the_daily_report_counts_workers_trained(self, world):
        community = world.areas[COMMUNITY]
        today = days_ago(0)
        figures = compute(community, today, None)
        assert figures["workers_trained"] <= figures["workers_active"]
        record(world, held_on=today)
        again = compute(community, today, None)
        assert again["trainings_held"] == figures["trainings_held"] + 1
