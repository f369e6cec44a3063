"""The API of elections: lists through `visible_to(user, perm)` and the FilterSets of the
pages; writes through the services the pages call. An election that the community's risk
level suspends answers `state` "suspended" with the reason in `blocked`; opening or allotting
it then is a 400 with that reason."""

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import ScopedViewSet, created, require
from fangkong.elections import rules, services, slips, voter_services
from fangkong.elections.filters import (
    DeclarationFilter,
    ElectionFilter,
    ItemFilter,
    ProxyFilter,
    SlotFilter,
    StaffFilter,
    StationFilter,
    VoterFilter,
)
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
from fangkong.elections.permissions import ADD_ELECTION, RUN_ELECTION
from fangkong.elections.serializers import (
    AddStaffSerializer,
    AllotmentSerializer,
    AssessSerializer,
    AuthoriseSerializer,
    ContingencyItemSerializer,
    CountingSerializer,
    CreateElectionSerializer,
    CreateItemSerializer,
    CreateSlotSerializer,
    CreateStationSerializer,
    DeclareSerializer,
    DisinfectionLoggedSerializer,
    DisinfectionSerializer,
    DoneSerializer,
    ElectionSerializer,
    ElectionStaffSerializer,
    HealthDeclarationSerializer,
    MakeSlotsSerializer,
    MoveVoterSerializer,
    PollingStationSerializer,
    ProxyVoteSerializer,
    RollSerializer,
    SendRollSlipsSerializer,
    SendSlipsSerializer,
    SlipsSentSerializer,
    SlotsMadeSerializer,
    SpecialSerializer,
    VoterSerializer,
    VotingSlotSerializer,
)


def slips_sent(batch):
    return Response(
        {
            "queued": batch.queued,
            "unchanged": batch.unchanged,
            "without_phone": batch.without_phone,
            "waiting": batch.detail.get("waiting", 0),
            "print_instead": batch.print_instead,
        },
        status=created(batch),
    )


SEND_SLIPS_DOC = (
    "Send the voters' slips by SMS: each voter with a slot (or voting in a special way) and "
    "a mobile number gets their slip's text once; the same words are never sent twice. "
    "Voters without a mobile number are counted and listed to print instead."
)


def send_slips_of(part):
    """The `send-slips` action of a station's or a slot's viewset (`part`: "station" or
    "slot"): the slips of its voters."""

    @extend_schema(
        request=SendSlipsSerializer,
        responses={201: SlipsSentSerializer, 200: SlipsSentSerializer},
        description=SEND_SLIPS_DOC,
    )
    @action(detail=True, methods=["post"], url_path="send-slips")
    def send_slips(self, request, pk=None):
        record = self.get_object()
        data = self.write(SendSlipsSerializer)
        return slips_sent(
            self.run_service(slips.send_slips, election=record.election, **{part: record}, **data)
        )

    return send_slips


class ElectionViewSet(ScopedViewSet):
    """Elections of the caller's communities, latest voting day first. POST creates one with
    the default contingency checklist; `open` is refused while the community's effective
    risk level is medium or high."""

    model = Election
    serializer_class = ElectionSerializer
    filterset_class = ElectionFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    def paginate_queryset(self, queryset):
        # The levels of the page's communities in one query, not one per election.
        page = super().paginate_queryset(queryset)
        return None if page is None else rules.flag_blocked(page)

    @extend_schema(
        request=CreateElectionSerializer,
        responses={201: ElectionSerializer, 200: ElectionSerializer},
    )
    def create(self, request):
        require(request, ADD_ELECTION)
        data = self.write(CreateElectionSerializer)
        election = self.run_service(services.create_election, **data)
        return self.answer(self.get_queryset().get(pk=election.pk), created(election))

    @extend_schema(request=None, responses=ElectionSerializer)
    @action(detail=True, methods=["post"], url_path="open")
    def open_election(self, request, pk=None):
        return self.answer(self.run_service(services.open_election, election=self.get_object()))

    @extend_schema(request=None, responses=ElectionSerializer)
    @action(detail=True, methods=["post"], url_path="close")
    def close_election(self, request, pk=None):
        return self.answer(self.run_service(services.close_election, election=self.get_object()))

    @extend_schema(request=None, responses=RollSerializer)
    @action(detail=True, methods=["post"])
    def roll(self, request, pk=None):
        """Register the community's eligible residents not yet on the roll."""
        added = self.run_service(voter_services.register_voters, election=self.get_object())
        return Response({"added": added})

    @extend_schema(request=None, responses=AllotmentSerializer)
    @action(detail=True, methods=["post"])
    def allot(self, request, pk=None):
        """Allot the voters without a slot to the slots with room, in one statement."""
        allotted, left = self.run_service(voter_services.allot, election=self.get_object())
        return Response({"allotted": allotted, "left": left})

    @extend_schema(
        request=SendRollSlipsSerializer,
        responses={201: SlipsSentSerializer, 200: SlipsSentSerializer},
        description=SEND_SLIPS_DOC,
    )
    @action(detail=True, methods=["post"], url_path="send-slips")
    def send_slips(self, request, pk=None):
        election = self.get_object()
        data = self.write(SendRollSlipsSerializer)
        return slips_sent(self.run_service(slips.send_slips, election=election, **data))

    @extend_schema(request=CountingSerializer, responses=ElectionSerializer)
    @action(detail=True, methods=["post"])
    def counting(self, request, pk=None):
        """The counting site: its headcount limit, the headcount, who witnesses it."""
        election = self.get_object()
        data = self.write(CountingSerializer)
        return self.answer(self.run_service(services.record_counting, election=election, **data))


class ContingencyItemViewSet(ScopedViewSet):
    """The measures of the elections' contingency checklists. POST adds one; `done` checks
    or unchecks it."""

    model = ContingencyItem
    serializer_class = ContingencyItemSerializer
    filterset_class = ItemFilter

    def get_queryset(self):
        return super().get_queryset().order_by("election", "position", "id")

    @extend_schema(request=CreateItemSerializer, responses={201: ContingencyItemSerializer})
    def create(self, request):
        require(request, RUN_ELECTION)
        data = self.write(CreateItemSerializer)
        return self.answer(self.run_service(services.add_item, **data), HTTP_201_CREATED)

    @extend_schema(request=DoneSerializer, responses=ContingencyItemSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        item = self.get_object()
        data = self.write(DoneSerializer)
        return self.answer(self.run_service(services.mark_item, item=item, **data))


class PollingStationViewSet(ScopedViewSet):
    """Polling stations with the voters each holds at once. POST adds one; `slots` makes its
    slots over the voting hours; `disinfection` logs the venue's disinfection."""

    model = PollingStation
    serializer_class = PollingStationSerializer
    filterset_class = StationFilter

    @extend_schema(request=CreateStationSerializer, responses={201: PollingStationSerializer})
    def create(self, request):
        require(request, RUN_ELECTION)
        data = self.write(CreateStationSerializer)
        return self.answer(self.run_service(services.add_station, **data), HTTP_201_CREATED)

    @extend_schema(request=MakeSlotsSerializer, responses=SlotsMadeSerializer)
    @action(detail=True, methods=["post"])
    def slots(self, request, pk=None):
        station = self.get_object()
        data = self.write(MakeSlotsSerializer)
        return Response({"made": self.run_service(services.make_slots, station=station, **data)})

    @extend_schema(request=DisinfectionSerializer, responses={201: DisinfectionLoggedSerializer})
    @action(detail=True, methods=["post"])
    def disinfection(self, request, pk=None):
        station = self.get_object()
        data = self.write(DisinfectionSerializer)
        log = self.run_service(services.log_disinfection, station=station, **data)
        return Response({"id": log.pk, "subject": log.subject}, status=HTTP_201_CREATED)

    send_slips = send_slips_of("station")


class VotingSlotViewSet(ScopedViewSet):
    """Voting slots with the voters allotted to each (`taken`). POST adds one slot within
    the election's hours and the station's capacity."""

    model = VotingSlot
    serializer_class = VotingSlotSerializer
    filterset_class = SlotFilter

    def get_queryset(self):
        return super().get_queryset().annotate(taken=Count("voters")).order_by("starts_at", "id")

    @extend_schema(request=CreateSlotSerializer, responses={201: VotingSlotSerializer})
    def create(self, request):
        require(request, RUN_ELECTION)
        data = self.write(CreateSlotSerializer)
        slot = self.run_service(services.add_slot, **data)
        return self.answer(self.get_queryset().get(pk=slot.pk), HTTP_201_CREATED)

    send_slips = send_slips_of("slot")


class VoterViewSet(ScopedViewSet):
    """The voters on the rolls, with their slot and slip text. `slot` moves one to a slot
    with room (or out of any); `special` sets special voting."""

    model = Voter
    serializer_class = VoterSerializer
    filterset_class = VoterFilter

    def get_queryset(self):
        return slips.with_text_state(
            super()
            .get_queryset()
            .select_related("resident", "slot__station", "election__area")
            .order_by("election", "id")
        )

    @extend_schema(request=MoveVoterSerializer, responses=VoterSerializer)
    @action(detail=True, methods=["post"], url_path="slot")
    def move(self, request, pk=None):
        voter = self.get_object()
        data = self.write(MoveVoterSerializer)
        self.run_service(voter_services.move_voter, voter=voter, **data)
        return self.answer(self.get_queryset().get(pk=voter.pk))

    @extend_schema(request=SpecialSerializer, responses=VoterSerializer)
    @action(detail=True, methods=["post"])
    def special(self, request, pk=None):
        voter = self.get_object()
        data = self.write(SpecialSerializer)
        self.run_service(voter_services.mark_special, voter=voter, **data)
        return self.answer(self.get_queryset().get(pk=voter.pk))


class HealthDeclarationViewSet(ScopedViewSet):
    """Health declarations of voters and staff. POST records one (abnormal: it waits for a
    risk assessment); `assess` records the decision on participation."""

    model = HealthDeclaration
    serializer_class = HealthDeclarationSerializer
    filterset_class = DeclarationFilter

    def get_queryset(self):
        return super().get_queryset().select_related("voter__resident", "staff__worker")

    @extend_schema(
        request=DeclareSerializer,
        responses={201: HealthDeclarationSerializer, 200: HealthDeclarationSerializer},
    )
    def create(self, request):
        require(request, RUN_ELECTION)
        data = self.write(DeclareSerializer)
        declaration = self.run_service(voter_services.declare, **data)
        return self.answer(self.get_queryset().get(pk=declaration.pk), created(declaration))

    @extend_schema(request=AssessSerializer, responses=HealthDeclarationSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        declaration = self.get_object()
        data = self.write(AssessSerializer)
        self.run_service(voter_services.assess, declaration=declaration, **data)
        return self.answer(self.get_queryset().get(pk=declaration.pk))


class ProxyVoteViewSet(ScopedViewSet):
    """Proxy authorisations (委托投票). POST records one, checked against the rules: both
    voters of the election, never oneself, at most the election's `max_proxies` per proxy
    (the law's three). `revoke` removes one."""

    model = ProxyVote
    serializer_class = ProxyVoteSerializer
    filterset_class = ProxyFilter

    @extend_schema(request=AuthoriseSerializer, responses={201: ProxyVoteSerializer})
    def create(self, request):
        require(request, RUN_ELECTION)
        data = self.write(AuthoriseSerializer)
        return self.answer(
            self.run_service(voter_services.authorise_proxy, **data), HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        self.run_service(voter_services.revoke_proxy, vote=self.get_object())
        return Response(status=204)


class ElectionStaffViewSet(ScopedViewSet):
    """The elections' staff. POST adds a worker of the community with a duty."""

    model = ElectionStaff
    serializer_class = ElectionStaffSerializer
    filterset_class = StaffFilter

    def get_queryset(self):
        return super().get_queryset().select_related("worker")

    @extend_schema(request=AddStaffSerializer, responses={201: ElectionStaffSerializer})
    def create(self, request):
        require(request, RUN_ELECTION)
        data = self.write(AddStaffSerializer)
        return self.answer(self.run_service(services.add_staff, **data), HTTP_201_CREATED)


ROUTES = [
    ("elections", ElectionViewSet, "election"),
    ("election-items", ContingencyItemViewSet, "election-item"),
    ("polling-stations", PollingStationViewSet, "polling-station"),
    ("voting-slots", VotingSlotViewSet, "voting-slot"),
    ("voters", VoterViewSet, "voter"),
    ("health-declarations", HealthDeclarationViewSet, "health-declaration"),
    ("proxy-votes", ProxyVoteViewSet, "proxy-vote"),
    ("election-staff", ElectionStaffViewSet, "election-staff"),
]
