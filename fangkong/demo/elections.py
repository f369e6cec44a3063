"""Demo elections (docs/elections.md): the committee elections of a few communities three
weeks ahead, each with its plan, its checklist half done, two polling stations with their
slots over the voting hours, the roll drawn from the residents and allotted, a special
voter, a proxy, staff and health declarations (one abnormal waiting, one assessed). One is
open; an election of a community at medium or high risk (if the demo has one) stands
suspended with its reason."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from fangkong.areas.models import Area, Level, Role, RoleKind
from fangkong.demo.gatherings import quiet_path
from fangkong.elections import rules, services
from fangkong.elections.models import (
    ContingencyItem,
    Election,
    ElectionStaff,
    HealthDeclaration,
    PollingStation,
    ProxyVote,
    Voter,
    VotingSlot,
)
from fangkong.elections.voter_services import allot_waiting, eligible
from fangkong.response.selectors import with_effective_rank
from fangkong.scope import system_scope

PLAN = (
    "一、成立选举工作领导小组，明确疫情防控责任人。\n"
    "二、增设投票站，实行错时投票，每个时段限定人数，保持一米线。\n"
    "三、选民和工作人员投票前进行健康申报、测温、查验健康码。\n"
    "四、确诊、疑似或因隔离无法到场的选民，采用流动票箱或委托投票。\n"
    "五、计票现场限制人数，选民代表监督并同步视频直播。\n"
    "六、投票场所和公共物品每个时段消毒。"
)


def checklist():
    with translation.override(settings.LANGUAGE_CODE):
        return [gettext(text) for text in services.DEFAULT_CHECKLIST]


def slots_of(election, station, capacity):
    day, step = election.voting_day, datetime.timedelta(minutes=election.slot_minutes)
    start, close = rules.at(day, election.opens_at), rules.at(day, election.closes_at)
    made = []
    while start + step <= close:
        made.append(
            VotingSlot(
                election=election,
                station=station,
                area=station.area,
                area_path=station.area_path,
                starts_at=start,
                ends_at=start + step,
                capacity=capacity,
            )
        )
        start += step
    VotingSlot.objects.bulk_create(made)


def make_election(community, term, *, day, status=Election.Status.PREPARING):
    election = Election.objects.create(
        area=community,
        term=term,
        voting_day=day,
        plan=PLAN,
        closes_at=datetime.time(19, 0),
        status=status,
        opened_at=timezone.now() if status == Election.Status.OPEN else None,
    )
    ContingencyItem.objects.bulk_create(
        ContingencyItem(
            election=election,
            area=community,
            area_path=community.path,
            text=text,
            position=i,
            done=i % 2 == 0,
            done_at=timezone.now() if i % 2 == 0 else None,
        )
        for i, text in enumerate(checklist())
    )
    for n, (name, capacity) in enumerate([("第一投票站", 30), ("第二投票站", 20)]):
        station = PollingStation.objects.create(
            election=election,
            area=community,
            name=name,
            place=["村(居)委会议事厅", "文化活动中心"][n],
            capacity=capacity,
        )
        slots_of(election, station, capacity)
    return election


def fill(election, community):
    """The roll, its allotment, a special voter, a proxy, staff and declarations."""
    Voter.objects.bulk_create(
        Voter(
            election=election,
            resident_id=pk,
            household_order=household or 0,
            area=community,
            area_path=community.path,
        )
        for pk, household in eligible(election).values_list("pk", "household_id")
    )
    voters = list(Voter.objects.filter(election=election).select_related("resident")[:8])
    if len(voters) >= 4:
        special = voters[0]
        special.special, special.special_method = Voter.Special.UNABLE, Voter.Method.MOBILE_BOX
        special.special_note = "居家隔离医学观察中"
        special.save()
        ProxyVote.objects.create(
            election=election, area=community, voter=voters[1], proxy=voters[2], note="外出务工"
        )
        HealthDeclaration.objects.create(
            election=election,
            area=community,
            voter=voters[3],
            declared_on=timezone.localdate(),
            temperature=Decimal("37.6"),
            abnormal=True,
        )
    allot_waiting(election)
    workers = Role.objects.filter(kind=RoleKind.COMMUNITY_WORKER, area=community).values_list(
        "worker_id", flat=True
    )
    for i, worker in enumerate(dict.fromkeys(workers)):
        staff = ElectionStaff.objects.create(
            election=election,
            area=community,
            worker_id=worker,
            duty=ElectionStaff.Duty.values[i % len(ElectionStaff.Duty.values)],
        )
        HealthDeclaration.objects.create(
            election=election,
            area=community,
            staff=staff,
            declared_on=timezone.localdate(),
            temperature=Decimal("36.5") if i else Decimal("37.4"),
            abnormal=not i,
            decision="attend" if not i else "",
            decision_reason="复测体温36.6℃，经评估可参加工作" if not i else "",
            assessed_at=timezone.now() if not i else None,
        )


def build(rng, stdout=None):
    with system_scope():  # the demo writes the whole county
        day = timezone.localdate() + datetime.timedelta(days=21)
        communities = Area.objects.filter(level=Level.COMMUNITY).exclude(
            path__startswith=quiet_path()
        )
        chosen = list(communities.order_by("code")[:3])
        raised = (
            with_effective_rank(communities)
            .filter(effective_rank__gt=0)
            .exclude(pk__in=[c.pk for c in chosen])
            .order_by("code")
            .first()
        )
        if raised is not None:
            chosen.append(raised)
        for i, community in enumerate(chosen):
            election = make_election(
                community,
                "第十二届村(居)民委员会换届选举",
                day=day,
                status=Election.Status.OPEN if i == 0 else Election.Status.PREPARING,
            )
            fill(election, community)
        voters = Voter.objects.filter(~Q(slot=None)).count()
    if stdout:
        stdout.write(f"elections: {len(chosen)}, voters allotted {voters}\n")
