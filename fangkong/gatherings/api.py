"""The API of gatherings, meetings and sanitation: lists through `visible_to(user, perm)` and
the FilterSets of the pages; writes through the services the pages call. Registrations carry
a client UUID, so a retried request registers once (201 the first time, 200 after); a meeting
the risk level's limits refuse is a 400 naming the rule (and kept as refused)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import ScopedViewSet, created, require
from fangkong.gatherings import (
    family_services,
    meeting_services,
    sanitation_services,
    selectors,
    services,
)
from fangkong.gatherings.filters import (
    CampaignFilter,
    GatheringFilter,
    MeetingFilter,
    SanitationTaskFilter,
)
from fangkong.gatherings.models import (
    Gathering,
    Meeting,
    MeetingLimit,
    SanitationCampaign,
    SanitationTask,
)
from fangkong.gatherings.permissions import (
    ASSIGN_TASK,
    REGISTER_GATHERING,
    REGISTER_MEETING,
    SET_LIMITS,
    START_CAMPAIGN,
)
from fangkong.gatherings.serializers import (
    AssignSerializer,
    CompleteSerializer,
    ConfirmReportSerializer,
    CreateTaskSerializer,
    DismissReportSerializer,
    FollowUpSerializer,
    GatheringSerializer,
    MeetingLimitSerializer,
    MeetingSerializer,
    OutcomeSerializer,
    RegisterGatheringSerializer,
    RegisterMeetingSerializer,
    SanitationCampaignSerializer,
    SanitationTaskSerializer,
    SetLimitSerializer,
    StartSanitationCampaignSerializer,
)


class GatheringViewSet(ScopedViewSet):
    """Family events and other gatherings of the caller's areas, latest day first, with those
    families reported on their community's public page (`by_family`, status `reported` until
    a worker confirms or dismisses them). POST registers one; the advice of the place's risk
    level is recorded as given."""

    model = Gathering
    serializer_class = GatheringSerializer
    filterset_class = GatheringFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    @extend_schema(
        request=RegisterGatheringSerializer,
        responses={201: GatheringSerializer, 200: GatheringSerializer},
    )
    def create(self, request):
        require(request, REGISTER_GATHERING)
        data = self.write(RegisterGatheringSerializer)
        gathering = self.run_service(services.register_gathering, **data)
        return self.answer(self.get_queryset().get(pk=gathering.pk), created(gathering))

    @extend_schema(request=None, responses=GatheringSerializer)
    @action(detail=True, methods=["post"])
    def advice(self, request, pk=None):
        """Record the advice of the place's level now as given again."""
        gathering = self.run_service(services.give_advice, gathering=self.get_object())
        return self.answer(gathering)

    @extend_schema(request=FollowUpSerializer, responses=GatheringSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """What became of it: held (with the headcount), postponed or cancelled."""
        gathering = self.get_object()
        data = self.write(FollowUpSerializer)
        return self.answer(self.run_service(services.follow_up, gathering=gathering, **data))

    @extend_schema(request=ConfirmReportSerializer, responses=GatheringSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm a family's own report (status reported) after calling them back: it is
        then planned and followed up after its day. `area` places it in a grid of its
        community. Sent again, it changes nothing."""
        gathering = self.get_object()
        data = self.write(ConfirmReportSerializer)
        gathering = self.run_service(family_services.confirm_report, gathering=gathering, **data)
        return self.answer(self.get_queryset().get(pk=gathering.pk))

    @extend_schema(request=DismissReportSerializer, responses=GatheringSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Dismiss a family's own report that is no real event, with the reason."""
        gathering = self.get_object()
        data = self.write(DismissReportSerializer)
        return self.answer(
            self.run_service(family_services.dismiss_report, gathering=gathering, **data)
        )


class MeetingViewSet(ScopedViewSet):
    """Meetings of the caller's areas, latest first, with those refused. POST registers one:
    refused by the limits of the place's level, the answer is a 400 with the rule."""

    model = Meeting
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    @extend_schema(
        request=RegisterMeetingSerializer,
        responses={201: MeetingSerializer, 200: MeetingSerializer},
    )
    def create(self, request):
        require(request, REGISTER_MEETING)
        data = self.write(RegisterMeetingSerializer)
        meeting = self.run_service(meeting_services.register_meeting, **data)
        return self.answer(self.get_queryset().get(pk=meeting.pk), created(meeting))

    @extend_schema(request=OutcomeSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        """A planned meeting held or cancelled."""
        meeting = self.get_object()
        data = self.write(OutcomeSerializer)
        return self.answer(
            self.run_service(meeting_services.record_outcome, meeting=meeting, **data)
        )


class MeetingLimitViewSet(ScopedViewSet):
    """The meeting limits counties set (a level without one keeps the default: 50 people
    and 60 minutes in low risk, suspended in medium and high). POST sets one."""

    model = MeetingLimit
    serializer_class = MeetingLimitSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("area").order_by("area_path", "level")

    @extend_schema(request=SetLimitSerializer, responses={201: MeetingLimitSerializer})
    def create(self, request):
        require(request, SET_LIMITS)
        data = self.write(SetLimitSerializer)
        limit = self.run_service(meeting_services.set_limit, **data)
        return self.answer(limit, HTTP_201_CREATED)


class SanitationTaskViewSet(ScopedViewSet):
    """Sanitation tasks of the caller's areas by due day. POST sets one; `assign` gives it
    an owner; `complete` (multipart, with a photo) records it done."""

    model = SanitationTask
    serializer_class = SanitationTaskSerializer
    filterset_class = SanitationTaskFilter
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return super().get_queryset().select_related("area", "owner")

    @extend_schema(
        request=CreateTaskSerializer,
        responses={201: SanitationTaskSerializer, 200: SanitationTaskSerializer},
    )
    def create(self, request):
        require(request, ASSIGN_TASK)
        data = self.write(CreateTaskSerializer)
        task = self.run_service(sanitation_services.create_task, **data)
        return self.answer(self.get_queryset().get(pk=task.pk), created(task))

    @extend_schema(request=AssignSerializer, responses=SanitationTaskSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        task = self.get_object()
        data = self.write(AssignSerializer)
        return self.answer(self.run_service(sanitation_services.assign, task=task, **data))

    @extend_schema(
        request={"multipart/form-data": CompleteSerializer},
        responses={201: SanitationTaskSerializer, 200: SanitationTaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = self.get_object()
        data = self.write(CompleteSerializer)
        task = self.run_service(sanitation_services.complete, task=task, **data)
        return self.answer(task, created(task))


class SanitationCampaignViewSet(ScopedViewSet):
    """Sanitation campaigns of the caller's areas. POST starts one: a task per community of
    the area and place named."""

    model = SanitationCampaign
    serializer_class = SanitationCampaignSerializer
    filterset_class = CampaignFilter

    def get_queryset(self):
        return selectors.campaigns(self.request.user)

    @extend_schema(
        request=StartSanitationCampaignSerializer, responses={201: SanitationCampaignSerializer}
    )
    def create(self, request):
        require(request, START_CAMPAIGN)
        data = self.write(StartSanitationCampaignSerializer)
        data["places"] = [[place["place_kind"], place["place"]] for place in data["places"]]
        campaign = self.run_service(sanitation_services.start_campaign, **data)
        return self.answer(campaign, HTTP_201_CREATED)


ROUTES = [
    ("gatherings", GatheringViewSet, "gathering"),
    ("meetings", MeetingViewSet, "meeting"),
    ("meeting-limits", MeetingLimitViewSet, "meeting-limit"),
    ("sanitation-tasks", SanitationTaskViewSet, "sanitation-task"),
    ("sanitation-campaigns", SanitationCampaignViewSet, "sanitation-campaign"),
]
