"""The API of facilities and disinfection logs: lists through `visible_to(user, perm)` and
the FilterSets of the pages; writes through the services the pages call. A facility is
answered with its state now (level, open, the most it may hold, why) and who is inside. A
tap at the door carries a client UUID, so a retried tap counts once (201 the first time, 200
after); a tap into a suspended or full facility is a 400 that says so."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from fangkong.apibase import ScopedViewSet, created, require
from fangkong.facilities import selectors, services
from fangkong.facilities.filters import DisinfectionFilter, FacilityFilter
from fangkong.facilities.models import DisinfectionLog, Facility
from fangkong.facilities.permissions import LOG_DISINFECTION, MANAGE_FACILITY
from fangkong.facilities.serializers import (
    ChangeFacilitySerializer,
    DisinfectionLogSerializer,
    FacilityReasonSerializer,
    FacilitySerializer,
    FacilityTapAnswerSerializer,
    FacilityTapSerializer,
    LogDisinfectionSerializer,
    RegisterFacilitySerializer,
)


class FacilityViewSet(ScopedViewSet):
    """Community facilities of the caller's areas, each with its state now (`state.level`:
    its place's level): at low risk it holds its share of its normal capacity; at medium or
    high risk, or suspended by hand, it takes nobody. POST registers one; `tap` counts
    someone in or out at its door."""

    model = Facility
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter

    def get_queryset(self):
        return selectors.facilities(self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.with_state(page if page is not None else queryset)

    def get_object(self):
        return selectors.with_current_state(super().get_object())

    def fresh(self, facility):
        return selectors.with_current_state(self.get_queryset().get(pk=facility.pk))

    @extend_schema(
        request=RegisterFacilitySerializer,
        responses={201: FacilitySerializer, 200: FacilitySerializer},
    )
    def create(self, request):
        require(request, MANAGE_FACILITY)
        data = self.write(RegisterFacilitySerializer)
        facility = self.run_service(services.register_facility, **data)
        return self.answer(self.fresh(facility), created(facility))

    @extend_schema(request=ChangeFacilitySerializer, responses=FacilitySerializer)
    def partial_update(self, request, pk=None):
        """Change its name, kind, place, capacity, share at low risk, checkpoint or use."""
        facility = self.get_object()
        data = self.write(ChangeFacilitySerializer)
        self.run_service(services.change_facility, facility=facility, **data)
        return self.answer(self.fresh(facility))

    @extend_schema(request=FacilityReasonSerializer, responses=FacilitySerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        """Suspend it by hand, with the reason, until it is reopened."""
        facility = self.get_object()
        data = self.write(FacilityReasonSerializer)
        self.run_service(services.suspend_facility, facility=facility, **data)
        return self.answer(self.fresh(facility))

    @extend_schema(request=FacilityReasonSerializer, responses=FacilitySerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Lift a suspension by hand, with the reason (the level may still suspend it)."""
        facility = self.get_object()
        data = self.write(FacilityReasonSerializer)
        self.run_service(services.reopen_facility, facility=facility, **data)
        return self.answer(self.fresh(facility))

    @extend_schema(
        request=FacilityTapSerializer,
        responses={201: FacilityTapAnswerSerializer, 200: FacilityTapAnswerSerializer},
    )
    @action(detail=True, methods=["post"])
    def tap(self, request, pk=None):
        """Someone in (`change` 1) or out (-1) at the door; refused while suspended or full.
        The facility is answered with its state and who is inside after the tap."""
        facility = self.get_object()
        data = self.write(FacilityTapSerializer)
        tap = self.run_service(
            services.count_visit,
            facility=facility,
            change=int(data["change"]),
            client_uuid=data["client_uuid"],
        )
        answer = FacilityTapAnswerSerializer({"tap": tap, "facility": self.fresh(facility)})
        return Response(answer.data, status=created(tap))


class DisinfectionLogViewSet(ScopedViewSet):
    """Disinfection logs of the caller's areas, latest first: of facilities, and of places
    and shared items other apps log (their record in `subject`). POST logs one."""

    model = DisinfectionLog
    serializer_class = DisinfectionLogSerializer
    filterset_class = DisinfectionFilter

    def get_queryset(self):
        return selectors.disinfections(self.request.user)

    @extend_schema(
        request=LogDisinfectionSerializer,
        responses={201: DisinfectionLogSerializer, 200: DisinfectionLogSerializer},
    )
    def create(self, request):
        require(request, LOG_DISINFECTION)
        data = self.write(LogDisinfectionSerializer)
        log = self.run_service(services.log_disinfection, **data)
        return self.answer(log, created(log))


ROUTES = [
    ("facilities", FacilityViewSet, "facility"),
    ("disinfection-logs", DisinfectionLogViewSet, "disinfection-log"),
]
