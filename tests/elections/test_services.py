import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.elections import rules, selectors, services, voter_services
from fangkong.elections.models import (
    ContingencyItem,
    Election,
    HealthDeclaration,
    PollingStation,
    ProxyVote,
    Voter,
    VotingSlot,
)
from fangkong.elections.reporting import compute
from fangkong.facilities.models import DisinfectionLog
from fangkong.training.models import Attendance, Training
from tests.elections.helpers import (
    COMMUNITY,
    GRID,
    OTHER_COMMUNITY,
    TOWNSHIP,
    adults,
    days_ahead,
    new_election,
    roll,
    set_level,
    with_birth_dates,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def station(world, election, capacity=10, name="第一投票点"):
    return services.add_station(
        actor=world.users["community"],
        election=election,
        name=name,
        place="社区活动中心",
        capacity=capacity,
    )


def slot(world, station_, hour=9, capacity=2):
    day = station_.election.voting_day
    return services.add_slot(
        actor=world.users["community"],
        station=station_,
        starts_at=rules.at(day, datetime.time(hour, 0)),
        ends_at=rules.at(day, datetime.time(hour, 30)),
        capacity=capacity,
    )


def voters_of(election):
    return every(Voter).filter(election=election).select_related("resident")


class TestElection:
    def test_an_election_starts_with_its_contingency_checklist(self, world):
        election = new_election(world)
        assert election.area.code == COMMUNITY and election.status == "preparing"
        assert every(ContingencyItem).filter(election=election).count() == len(
            services.DEFAULT_CHECKLIST
        )
        assert every(AuditEvent).filter(action="elections.create", target_id=election.pk).exists()
        item = services.add_item(actor=world.users["community"], election=election, text="备用场地")
        services.mark_item(actor=world.users["community"], item=item, done=True)
        item.refresh_from_db()
        assert item.done and item.done_by == world.users["community"]

    def test_a_retried_creation_creates_once(self, world):
        key = uuid.uuid4()
        first = new_election(world, client_uuid=key)
        again = new_election(world, client_uuid=key)
        assert again.pk == first.pk and again.created is False
        assert every(Election).filter(term=first.term).count() == 1

    def test_only_a_community_worker_of_a_community_creates_one(self, world):
        with pytest.raises(ValidationError):
            new_election(world, code=GRID)
        with pytest.raises(PermissionDenied):
            new_election(world, user="township")
        with pytest.raises(PermissionDenied):
            new_election(world, code=OTHER_COMMUNITY)
        with pytest.raises(ValidationError) as error:
            new_election(world, voting_day=days_ahead(-3))
        assert "voting_day" in error.value.message_dict
        assert not every(Election).filter(term="第十二届居委会换届选举").exists()

    def test_blocked_at_medium_risk_with_the_reason_and_resumes_at_low(self, world):
        election = new_election(world)
        set_level(world, "medium")
        with pytest.raises(ValidationError) as error:
            services.open_election(actor=world.users["community"], election=election)
        assert "新华社区" in str(error.value) and election.status == "preparing"
        flagged = rules.flag_blocked([election])[0]
        assert flagged.blocked and rules.state_of(flagged) == "suspended"
        assert selectors.suspended(every(Election)).filter(pk=election.pk).exists()
        set_level(world, "low")
        opened = services.open_election(actor=world.users["community"], election=election)
        assert opened.status == "open" and rules.blocked(opened) == ""
        assert selectors.running(every(Election)).filter(pk=election.pk).exists()

    def test_a_risen_level_suspends_an_open_election_and_its_allotment(self, world):
        election = new_election(world)
        services.open_election(actor=world.users["community"], election=election)
        set_level(world, "high", code=TOWNSHIP)  # the level above counts
        assert rules.state_of(rules.flag_blocked([election])[0]) == "suspended"
        with pytest.raises(ValidationError):
            voter_services.allot(actor=world.users["community"], election=election)

    def test_supervisors_read_but_do_not_run_it(self, world):
        election = new_election(world)
        assert selectors.elections(world.users["township"]).filter(pk=election.pk).exists()
        assert not selectors.elections(world.users["township2"]).filter(pk=election.pk).exists()
        assert not selectors.elections(world.users["grid"]).exists()
        with pytest.raises(PermissionDenied):
            services.open_election(actor=world.users["township"], election=election)

    def test_a_closed_election_changes_no_more(self, world):
        election = new_election(world)
        services.open_election(actor=world.users["community"], election=election)
        services.close_election(actor=world.users["community"], election=election)
        with pytest.raises(ValidationError):
            station(world, election)


class TestStationsAndSlots:
    def test_a_slot_over_the_station_capacity_is_refused_and_nothing_saved(self, world):
        election = new_election(world)
        place = station(world, election, capacity=5)
        with pytest.raises(ValidationError) as error:
            slot(world, place, capacity=6)
        assert "capacity" in error.value.message_dict
        with pytest.raises(ValidationError):
            services.make_slots(actor=world.users["community"], station=place, capacity=50)
        assert not every(VotingSlot).filter(election=election).exists()

    def test_slots_outside_the_hours_need_longer_hours(self, world):
        election = new_election(world)
        place = station(world, election)
        with pytest.raises(ValidationError):
            slot(world, place, hour=19)
        services.change_plan(
            actor=world.users["community"],
            election=election,
            term=election.term,
            voting_day=election.voting_day,
            plan=election.plan,
            opens_at=datetime.time(7, 0),
            closes_at=datetime.time(21, 0),
            slot_minutes=60,
            max_proxies=3,
        )
        place.refresh_from_db()
        assert slot(world, place, hour=19).starts_at.hour == 19
        made = services.make_slots(actor=world.users["community"], station=place, capacity=4)
        assert made == 13  # 7:00 to 21:00 by the hour, 19:00 already made

    def test_capacity_and_station_checked(self, world):
        election = new_election(world)
        with pytest.raises(ValidationError):
            station(world, election, capacity=0)
        assert not every(PollingStation).filter(election=election).exists()


class TestRollAndAllotment:
    def test_the_roll_is_the_community_s_registered_adults(self, world):
        election = new_election(world)
        young = adults(world, 1, start=50)[0]
        young.birth_date = timezone.localdate() - datetime.timedelta(days=365 * 10)
        young.save()
        away = with_birth_dates(adults(world, 1, start=60))[0]
        away.residence = "living_here"
        away.save()
        added = roll(world, election)
        names = set(voters_of(election).values_list("resident__name", flat=True))
        assert names == {"甲格居民", "乙格居民"} and added == 2
        assert roll(world, election) == 0  # again: nobody new

    def test_voters_are_allotted_within_capacity_in_one_statement(self, world):
        election = new_election(world)
        with_birth_dates(adults(world, 5))
        roll(world, election)  # 7 voters
        place = station(world, election, capacity=3)
        first, second = slot(world, place, 9, 3), slot(world, place, 10, 2)
        allotted, left = voter_services.allot(actor=world.users["community"], election=election)
        assert (allotted, left) == (5, 2)
        assert every(Voter).filter(slot=first).count() == 3
        assert every(Voter).filter(slot=second).count() == 2
        # Voters come in the order of their households: 甲格's and 乙格's residents, then
        # three of the household of five fill the rest; its last two wait together.
        family = every(Voter).filter(election=election, resident__household__number="测试0号")
        assert family.filter(slot__in=[first, second]).count() == 3
        slot(world, place, 11, 3)
        assert voter_services.allot(actor=world.users["community"], election=election) == (2, 0)
        assert every(AuditEvent).filter(action="elections.allot").count() == 2

    def test_a_voter_moved_to_a_full_slot_is_refused(self, world):
        election = new_election(world)
        roll(world, election)
        place = station(world, election)
        full = slot(world, place, 9, 1)
        a, b = voters_of(election)
        voter_services.move_voter(actor=world.users["community"], voter=a, slot=full)
        with pytest.raises(ValidationError) as error:
            voter_services.move_voter(actor=world.users["community"], voter=b, slot=full)
        assert "slot" in error.value.message_dict
        b.refresh_from_db()
        assert b.slot is None

    def test_special_voting_frees_the_slot_and_is_not_allotted(self, world):
        election = new_election(world)
        roll(world, election)
        place = station(world, election)
        slot(world, place, 9, 5)
        voter_services.allot(actor=world.users["community"], election=election)
        a = voters_of(election).first()
        voter_services.mark_special(
            actor=world.users["community"], voter=a, special="confirmed", method="mobile_box"
        )
        a.refresh_from_db()
        assert a.slot is None and a.special == "confirmed"
        assert voter_services.allot(actor=world.users["community"], election=election) == (0, 0)
        with pytest.raises(ValidationError):
            voter_services.mark_special(
                actor=world.users["community"], voter=a, special="confirmed", method="nonsense"
            )


class TestProxies:
    def setup_roll(self, world, n=6, max_proxies=3):
        election = new_election(world, max_proxies=max_proxies)
        with_birth_dates(adults(world, n))
        roll(world, election)
        return election, list(voters_of(election).order_by("id"))

    def authorise(self, world, voter, proxy):
        return voter_services.authorise_proxy(
            actor=world.users["community"], voter=voter, proxy=proxy
        )

    def test_a_proxy_for_oneself_is_refused(self, world):
        election, voters = self.setup_roll(world)
        with pytest.raises(ValidationError) as error:
            self.authorise(world, voters[0], voters[0])
        assert "proxy" in error.value.message_dict
        assert not every(ProxyVote).filter(election=election).exists()

    def test_a_proxy_holds_at_most_the_legal_number(self, world):
        election, voters = self.setup_roll(world)
        proxy = voters[0]
        for voter in voters[1:4]:
            self.authorise(world, voter, proxy)
        with pytest.raises(ValidationError) as error:
            self.authorise(world, voters[4], proxy)
        assert "3" in error.value.message_dict["proxy"][0]
        assert every(ProxyVote).filter(election=election).count() == 3

    def test_the_limit_is_configurable_below_the_law(self, world):
        _election, voters = self.setup_roll(world, max_proxies=1)
        self.authorise(world, voters[1], voters[0])
        with pytest.raises(ValidationError):
            self.authorise(world, voters[2], voters[0])
        with pytest.raises(ValidationError):
            new_election(world, term="另一届", max_proxies=4)

    def test_both_are_voters_of_the_election_and_no_chain(self, world):
        _election, voters = self.setup_roll(world)
        other = new_election(world, term="另一届")
        roll(world, other)
        with pytest.raises(ValidationError):
            self.authorise(world, voters[0], voters_of(other).first())
        self.authorise(world, voters[1], voters[0])
        with pytest.raises(ValidationError):
            self.authorise(world, voters[2], voters[1])  # voters[1] gave their vote away
        with pytest.raises(ValidationError):
            self.authorise(world, voters[1], voters[3])  # one authorisation per voter

    def test_authorising_frees_the_slot_and_revoking_removes_it(self, world):
        election, voters = self.setup_roll(world)
        place = station(world, election)
        slot(world, place, 9, 10)
        voter_services.allot(actor=world.users["community"], election=election)
        vote = self.authorise(world, voters[1], voters[0])
        voters[1].refresh_from_db()
        assert voters[1].slot is None
        voter_services.revoke_proxy(actor=world.users["community"], vote=vote)
        assert not every(ProxyVote).filter(election=election).exists()


class TestDeclarations:
    def declare(self, world, election, voter, **kwargs):
        data = {"declared_on": timezone.localdate(), "temperature": Decimal("36.5")}
        return voter_services.declare(
            actor=world.users["community"], election=election, voter=voter, **{**data, **kwargs}
        )

    def test_an_abnormal_declaration_goes_to_an_assessment_with_a_decision(self, world):
        election = new_election(world)
        roll(world, election)
        place = station(world, election)
        slot(world, place, 9, 5)
        voter_services.allot(actor=world.users["community"], election=election)
        voter = voters_of(election).first()
        normal = self.declare(world, election, voter)
        assert not normal.abnormal
        with pytest.raises(ValidationError):
            voter_services.assess(
                actor=world.users["community"], declaration=normal, decision="attend", reason="x"
            )
        fever = self.declare(world, election, voter, temperature=Decimal("37.8"))
        assert fever.abnormal
        assert selectors.to_assess(every(HealthDeclaration).filter(election=election)).count() == 1
        with pytest.raises(ValidationError):
            voter_services.assess(
                actor=world.users["community"], declaration=fever, decision="special", reason=""
            )
        voter_services.assess(
            actor=world.users["community"],
            declaration=fever,
            decision="special",
            reason="发热，经评估改用流动票箱",
        )
        voter.refresh_from_db()
        assert voter.special == "unable" and voter.slot is None
        assert selectors.to_assess(every(HealthDeclaration).filter(election=election)).count() == 0

    def test_staff_declare_too_and_odd_values_are_refused(self, world):
        election = new_election(world)
        staff = services.add_staff(
            actor=world.users["community"],
            election=election,
            worker=world.workers[GRID],
            duty="teller",
        )
        made = voter_services.declare(
            actor=world.users["community"],
            election=election,
            staff=staff,
            declared_on=timezone.localdate(),
            temperature=Decimal("36.6"),
            health_code="yellow",
        )
        assert made.abnormal and made.person == world.workers[GRID].name
        for bad in (
            {"temperature": Decimal("60.0")},
            {"declared_on": days_ahead(5)},
            {"health_code": "blue"},
        ):
            with pytest.raises(ValidationError):
                voter_services.declare(
                    actor=world.users["community"],
                    election=election,
                    staff=staff,
                    **{"declared_on": timezone.localdate(), "temperature": Decimal("36.6"), **bad},
                )
        assert every(HealthDeclaration).filter(election=election).count() == 1


class TestCountingStaffAndDisinfection:
    def test_the_counting_site_keeps_its_limit_and_its_witnesses(self, world):
        election = new_election(world)
        run = world.users["community"]
        with pytest.raises(ValidationError) as error:
            services.record_counting(
                actor=run,
                election=election,
                place="会议室",
                limit=15,
                headcount=20,
                witness="representatives",
                representatives="张三、李四",
            )
        assert "headcount" in error.value.message_dict
        with pytest.raises(ValidationError):
            services.record_counting(
                actor=run,
                election=election,
                place="会议室",
                limit=15,
                headcount=10,
                witness="both",
                representatives="张三",
            )
        done = services.record_counting(
            actor=run,
            election=election,
            place="会议室",
            limit=15,
            headcount=12,
            witness="both",
            representatives="张三、李四",
            video="社区微信群直播",
        )
        assert done.counting_headcount == 12 and done.counting_recorded_at

    def test_staff_training_is_read_from_the_training_records(self, world):
        election = new_election(world)
        staff = services.add_staff(
            actor=world.users["community"],
            election=election,
            worker=world.workers[GRID],
            duty="staff",
        )
        assert selectors.trained_workers([staff.worker_id]) == set()
        training = every(Training).create(
            area=world.areas[COMMUNITY],
            kind="training",
            category="election_staff",
            topic="换届选举防疫培训",
            held_on=timezone.localdate(),
            trainer="卫生院",
        )
        every(Attendance).create(
            training=training,
            worker=world.workers[GRID],
            area=world.areas[COMMUNITY],
            held_on=training.held_on,
        )
        assert selectors.trained_workers([staff.worker_id]) == {staff.worker_id}

    def test_disinfection_of_a_station_is_logged_in_facilities(self, world):
        election = new_election(world)
        place = station(world, election)
        log = services.log_disinfection(
            actor=world.users["community"],
            station=place,
            disinfectant="含氯消毒液",
            disinfected_by="王五",
            items="票箱、签字笔",
        )
        assert log.subject == f"elections.pollingstation:{place.pk}"
        found = selectors.disinfections(world.users["township"], [place])
        assert list(found) == [every(DisinfectionLog).get(pk=log.pk)]


def test_the_daily_report_shows_the_progress(world):
    community, today = world.areas[COMMUNITY], timezone.localdate()
    before = compute(community, today, timezone.now())
    election = new_election(world)
    roll(world, election)
    place = station(world, election)
    slot(world, place, 9, 1)
    voter_services.allot(actor=world.users["community"], election=election)
    figures = compute(community, today, timezone.now())
    assert figures["voters_allotted"] == before["voters_allotted"] + 1
    assert figures["voters_waiting"] == before["voters_waiting"] + 1
    assert figures["elections_open"] == 0 and figures["elections_suspended"] == 0
    set_level(world, "medium")
    figures = compute(community, today, timezone.now())
    assert figures["elections_suspended"] == 3  # the world's two and this one
