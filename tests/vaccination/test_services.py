import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from fangkong.areas.models import Role, RoleKind, Worker
from fangkong.audit.models import AuditEvent
from fangkong.vaccination import rules, selectors, services
from fangkong.vaccination.models import DoseInterval, Vaccination, VaccinationExemption
from fangkong.vaccination.reporting import compute
from tests.training.helpers import COMMUNITY, COUNTY, GRID, SIBLING, TOWNSHIP, days_ago
from tests.world import every

pytestmark = pytest.mark.django_db


def dose(world, user="community", code=GRID, **kwargs):
    data = {
        "dose_number": 2,
        "given_on": days_ago(10),
        "vaccine": "inactivated",
        "manufacturer": "北京科兴",
    }
    return services.record_dose(
        actor=world.users[user], worker=world.workers[code], **{**data, **kwargs}
    )


def exempt(world, code=GRID, **kwargs):
    data = {"reason": "contraindication", "starts_on": days_ago(5)}
    return services.record_exemption(
        actor=world.users["community"], worker=world.workers[code], **{**data, **kwargs}
    )


class TestDoses:
    def test_the_next_dose_is_recorded_and_completes_the_course(self, world):
        second = dose(world)
        assert second.completes_course and second.area_path == world.workers[GRID].area_path
        assert every(AuditEvent).filter(action="vaccination.dose", target_id=second.pk).exists()

    def test_a_dose_date_in_the_future_is_refused_in_chinese_and_nothing_saved(self, world):
        before = every(Vaccination).count()
        with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
            dose(world, given_on=days_ago(-1))
        assert "日期不能晚于今天" in error.value.message_dict["given_on"][0]
        assert every(Vaccination).count() == before

    def test_a_dose_out_of_order_is_refused_and_nothing_saved(self, world):
        before = every(Vaccination).count()
        for bad, field in (
            ({"dose_number": 3}, "dose_number"),  # dose 2 is missing
            ({"dose_number": 1}, "dose_number"),  # dose 1 is recorded
            ({"given_on": days_ago(61)}, "given_on"),  # before dose 1
            ({"given_on": days_ago(60)}, "given_on"),  # the same day as dose 1
            ({"dose_number": 0}, "dose_number"),
            ({"dose_number": rules.MOST_DOSES + 1}, "dose_number"),
            ({"vaccine": "snake_oil"}, "vaccine"),
            ({"manufacturer": " "}, "manufacturer"),
        ):
            with pytest.raises(ValidationError) as error:
                dose(world, **bad)
            assert field in error.value.message_dict, bad
        assert every(Vaccination).count() == before

    def test_a_retried_request_records_once(self, world):
        key = uuid.uuid4()
        first = dose(world, client_uuid=key)
        again = dose(world, client_uuid=key)
        assert first.created and not again.created and again.pk == first.pk
        assert every(Vaccination).filter(worker=world.workers[GRID]).count() == 2

    def test_only_those_who_manage_workers_record_or_read_doses(self, world):
        for persona in ("grid", "medical", "township2"):
            with pytest.raises(PermissionDenied):
                dose(world, user=persona)
            assert (
                not selectors.doses(world.users[persona])
                .filter(worker=world.workers[GRID])
                .exists()
            )
        assert selectors.doses(world.users["township"]).filter(worker=world.workers[GRID])

    def test_only_the_latest_dose_is_removed(self, world):
        second = dose(world)
        first = every(Vaccination).get(worker=world.workers[GRID], dose_number=1)
        with pytest.raises(ValidationError):
            services.remove_dose(actor=world.users["community"], dose=first)
        services.remove_dose(actor=world.users["community"], dose=second)
        assert not every(Vaccination).filter(pk=second.pk).exists()


class TestDue:
    def test_the_second_dose_is_due_after_the_countys_interval(self, world):
        status = selectors.status_of(world.workers[GRID])
        # Dose 1 sixty days ago; the county's rule: 28 days after a first inactivated dose.
        assert status.state == selectors.DUE and status.overdue
        assert status.next_due == days_ago(60 - 28)
        listed = selectors.due_list(world.users["community"], world.areas[COMMUNITY])
        assert world.workers[GRID].pk in [s.worker.pk for s in listed]

    def test_a_booster_is_due_six_months_after_the_course_by_default(self, world):
        every(DoseInterval).delete()
        second = dose(world)
        status = selectors.status_of(world.workers[GRID])
        assert status.state == selectors.UP_TO_DATE
        assert status.next_due == second.given_on + rules.days_after(rules.BOOSTER_DAYS)
        ahead = selectors.due_list(
            world.users["community"], world.areas[COMMUNITY], ahead=rules.BOOSTER_DAYS
        )
        assert world.workers[GRID].pk in [s.worker.pk for s in ahead]

    def test_a_county_rule_of_zero_days_means_no_further_dose(self, world):
        services.set_interval(
            actor=world.users["county"],
            area=world.areas[COUNTY],
            vaccine="inactivated",
            after_dose=1,
            days=0,
        )
        assert selectors.status_of(world.workers[GRID]).state == selectors.DONE

    def test_an_exempt_worker_is_not_due_until_the_exemption_ends(self, world):
        exemption = exempt(world)
        assert selectors.status_of(world.workers[GRID]).state == selectors.EXEMPT
        listed = selectors.due_list(world.users["community"], world.areas[COMMUNITY])
        assert world.workers[GRID].pk not in [s.worker.pk for s in listed]
        services.end_exemption(
            actor=world.users["community"], exemption=exemption, ends_on=days_ago(1)
        )
        assert selectors.status_of(world.workers[GRID]).state == selectors.DUE

    def test_an_unvaccinated_worker_is_listed_as_such(self, world):
        newcomer = every(Worker).create(
            area=world.areas[COMMUNITY], name="新来的", affiliation="community"
        )
        listed = selectors.due_list(
            world.users["community"], world.areas[COMMUNITY], state=selectors.UNVACCINATED
        )
        assert newcomer.pk in [s.worker.pk for s in listed]


class TestExemptionsAndIntervals:
    def test_bad_exemptions_are_refused(self, world):
        for bad, field in (
            ({"reason": "lazy"}, "reason"),
            ({"reason": "other"}, "note"),
            ({"ends_on": days_ago(10)}, "ends_on"),
            ({"starts_on": days_ago(4000)}, "starts_on"),
        ):
            with pytest.raises(ValidationError) as error:
                exempt(world, **bad)
            assert field in error.value.message_dict, bad
        assert not every(VaccinationExemption).filter(ends_on=None).exists()

    def test_a_retried_exemption_is_recorded_once(self, world):
        key = uuid.uuid4()
        exempt(world, client_uuid=key)
        exempt(world, client_uuid=key)
        assert every(VaccinationExemption).filter(client_uuid=key).count() == 1

    def test_intervals_are_set_by_a_countys_supervisor_for_the_county(self, world):
        with pytest.raises(ValidationError):
            services.set_interval(
                actor=world.users["township"],
                area=world.areas[TOWNSHIP],
                vaccine="mrna",
                after_dose=2,
                days=90,
            )
        with pytest.raises(PermissionDenied):
            services.set_interval(
                actor=world.users["community"],
                area=world.areas[COUNTY],
                vaccine="mrna",
                after_dose=2,
                days=90,
            )
        services.set_interval(
            actor=world.users["county"],
            area=world.areas[COUNTY],
            vaccine="mrna",
            after_dose=2,
            days=90,
        )
        assert rules.intervals_for(world.areas[GRID].path)[("mrna", 2)] == 90


class TestCoverage:
    def test_coverage_per_role_counts_doses_courses_and_exemptions(self, world):
        user = world.users["township"]
        township = world.areas[TOWNSHIP]
        children = selectors.children_of(user, township)
        before = selectors.coverage(user, township, children).area.total(RoleKind.GRID_WORKER)
        dose(world)  # the grid worker's course completed
        exempt(world, code=SIBLING)
        after = selectors.coverage(user, township, children)
        cell = after.area.total(RoleKind.GRID_WORKER)
        assert cell.workers == before.workers
        assert cell.marks["full_course"] == before.marks["full_course"] + 1
        assert cell.marks["exempt"] == before.marks["exempt"] + 1
        community = next(line for line in after.children if line.area.code == COMMUNITY)
        assert community.total(RoleKind.GRID_WORKER).marks["vaccinated"] >= 2

    def test_coverage_is_health_data_the_medical_worker_does_not_read(self, world):
        newcomer = every(Worker).create(
            area=world.areas[COMMUNITY], name="医生", affiliation="medical_worker"
        )
        every(Role).create(worker=newcomer, area=world.areas[COMMUNITY], kind="medical_worker")
        found = selectors.coverage(world.users["medical"], world.areas[COMMUNITY], [])
        assert found.groups == []

    def test_the_daily_report_counts_vaccination(self, world):
        figures = compute(world.areas[COMMUNITY], days_ago(0), None)
        assert figures["workers_vaccinated"] >= 2 and figures["workers_dose_due"] >= 2
        dose(world)
        again = compute(world.areas[COMMUNITY], days_ago(0), None)
        assert again["workers_full_course"] == figures["workers_full_course"] + 1
