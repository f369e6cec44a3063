"""The quarantine API: quarantines (list, read, start, place, check in, release, end), their
tests (list, record idempotently by `client_uuid`), the rules, the people to place, sites
with their occupancy, rooms (disinfection), vehicles and transfers (plan, trips, notice,
dispatch, arrival). Lists go through `visible_to(user, perm)`; writes through the services
the pages call."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import RolePermission, ScopedViewSet, ScopedViewSetMixin
from fangkong.areas.models import Area
from fangkong.quarantine import rooms, selectors, services, transfer_services
from fangkong.quarantine.filters import QuarantineFilter, SiteFilter, TransferFilter
from fangkong.quarantine.models import QuarantineRule, QuarantineSite, Room
from fangkong.quarantine.permissions import (
    ADD,
    CHANGE,
    CHANGE_SITE,
    CHANGE_TRANSFER,
    RECORD_TEST,
    VIEW,
    VIEW_ROOM,
    VIEW_SITE,
    VIEW_TEST,
    VIEW_TRANSFER,
    VIEW_TRIP,
    VIEW_VEHICLE,
)
from fangkong.quarantine.quarantines import Quarantine, TestResult
from fangkong.quarantine.serializers import (
    EndSerializer,
    NewTransferSerializer,
    NewTripSerializer,
    NewVehicleSerializer,
    PersonToPlaceSerializer,
    PlaceSerializer,
    QuarantineSerializer,
    RecordTestSerializer,
    RoomSerializer,
    RuleSerializer,
    SiteSerializer,
    StartSerializer,
    TestSerializer,
    TransferSerializer,
    VehicleSerializer,
    VerificationStartSerializer,
)
from fangkong.quarantine.transfers import Transfer, Trip, Vehicle
from fangkong.quarantine.verification_services import start_from_verification
from fangkong.tracing.models import TracedPerson


def one(model, user, perm, pk, field):
    found = model.objects.visible_to(user, perm).filter(pk=pk).first()
    if found is None:
        raise exceptions.ValidationError({field: [_("No such record.")]})
    return found


def require(user, perm, record=None):
    if not user.has_perm(perm, record):
        raise exceptions.PermissionDenied


class RuleViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The quarantine rules per category (days central, at home, of monitoring; test days)."""

    model = QuarantineRule
    read_permission = VIEW
    permission_classes = [RolePermission]
    serializer_class = RuleSerializer
    pagination_class = None

    def get_queryset(self):
        return QuarantineRule.objects.all()


class QuarantineViewSet(ScopedViewSet):
    """Quarantines of people of the caller's areas. POST starts one by the category's rule."""

    model = Quarantine
    read_permission = VIEW
    serializer_class = QuarantineSerializer
    filterset_class = QuarantineFilter

    def get_queryset(self):
        return super().get_queryset().select_related("person", "area", "site", "room")

    @extend_schema(request=StartSerializer, responses={201: QuarantineSerializer})
    def create(self, request):
        require(request.user, ADD)
        body = self.write(StartSerializer)
        person = one(TracedPerson, request.user, ADD, body.pop("person"), "person")
        made = self.run_service(services.start_quarantine, person=person, **body)
        return self.answer(self.get_queryset().get(pk=made.pk), HTTP_201_CREATED)

    def acting(self, perm):
        record = self.get_object()
        require(self.request.user, perm, record)
        return record

    @extend_schema(request=PlaceSerializer, responses=QuarantineSerializer)
    @action(detail=True, methods=["post"])
    def place(self, request, pk=None):
        """Put a person of central quarantine into a room; a refusal names the allocation rule."""
        record = self.acting(CHANGE)
        room = one(Room, request.user, VIEW_SITE, self.write(PlaceSerializer)["room"], "room")
        self.run_service(services.place, quarantine=record, room=room)
        return self.answer(self.get_queryset().get(pk=record.pk))

    @extend_schema(request=None, responses=QuarantineSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        record = self.acting(CHANGE)
        self.run_service(services.check_in, quarantine=record)
        return self.answer(self.get_queryset().get(pk=record.pk))

    @extend_schema(request=None, responses=QuarantineSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Release when the period is over and the last test negative; from central
        quarantine the answer is the next stage started in the home community."""
        record = self.acting(CHANGE)
        result = self.run_service(services.release, quarantine=record)
        return self.answer(
            Quarantine.objects.visible_to(request.user, VIEW).filter(pk=result.pk).first() or record
        )

    @extend_schema(request=EndSerializer, responses=QuarantineSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        record = self.acting(CHANGE)
        body = self.write(EndSerializer)
        self.run_service(services.end_quarantine, quarantine=record, reason=body["reason"])
        return self.answer(self.get_queryset().get(pk=record.pk))


class StartsQuarantine:
    """The `quarantine` action of the verification tasks' routes (the page
    /verification/tasks/<id>/quarantine/), kept here so that quarantine knows verification
    and never the reverse: the verification viewset only mixes it in."""

    @extend_schema(
        request=VerificationStartSerializer,
        responses={201: QuarantineSerializer, 200: QuarantineSerializer},
    )
    @action(detail=True, methods=["post"])
    def quarantine(self, request, pk=None):
        """Put the person this task found here in quarantine, by the rule of verified persons
        or of their stricter tracing category. Sent again while that quarantine is under way,
        it answers 200 with it and starts nothing."""
        task = self.get_object()
        require(request.user, ADD, task)
        body = VerificationStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        made = self.run_service(start_from_verification, task=task, **body.validated_data)
        shown = (
            Quarantine.objects.visible_to(request.user, VIEW)
            .select_related("person", "area", "site", "room")
            .filter(pk=made.pk)
            .first()
        )
        return Response(
            QuarantineSerializer(shown or made).data,
            status=HTTP_201_CREATED if made.created else 200,
        )


class TestViewSet(ScopedViewSet):
    """The tests of quarantines, scheduled by the rule. `record` sets a result; sent again
    with the same `client_uuid` it answers the test already recorded."""

    model = TestResult
    read_permission = VIEW_TEST
    serializer_class = TestSerializer

    def get_queryset(self):
        rows = super().get_queryset()
        quarantine = self.request.query_params.get("quarantine", "")
        if quarantine.isdigit() and len(quarantine) < 12:
            rows = rows.filter(quarantine=quarantine)
        return rows

    @extend_schema(request=RecordTestSerializer, responses=TestSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        test = self.get_object()
        require(request.user, RECORD_TEST, test)
        body = self.write(RecordTestSerializer)
        return self.answer(self.run_service(services.record_test, test=test, **body))


class ToPlaceViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Close and secondary contacts (derived) with no quarantine under way."""

    model = TracedPerson
    read_permission = ADD
    permission_classes = [RolePermission]
    serializer_class = PersonToPlaceSerializer

    def get_queryset(self):
        return selectors.to_place(self.request.user)


class SiteViewSet(ScopedViewSet):
    """Central quarantine sites with their rooms counted by state now (the occupancy board)."""

    model = QuarantineSite
    read_permission = VIEW_SITE
    serializer_class = SiteSerializer
    filterset_class = SiteFilter

    def get_queryset(self):
        sites = super().get_queryset().select_related("area", "located_in")
        return selectors.with_occupancy(sites).order_by("area_path", "name")


class RoomViewSet(ScopedViewSet):
    """Rooms of the caller's sites (`?site=`). `disinfect` logs a disinfection."""

    model = Room
    read_permission = VIEW_ROOM
    serializer_class = RoomSerializer

    def get_queryset(self):
        rows = super().get_queryset().select_related("floor")
        site = self.request.query_params.get("site", "")
        if site.isdigit() and len(site) < 12:
            rows = rows.filter(site=site)
        return rows

    @extend_schema(request=None, responses=RoomSerializer)
    @action(detail=True, methods=["post"])
    def disinfect(self, request, pk=None):
        room = self.get_object()
        require(request.user, CHANGE_SITE, room)
        return self.answer(self.run_service(rooms.log_disinfection, room=room))


def area_of(user, code, perm):
    area = Area.objects.visible_to(user, "areas.view_area").filter(code=code).first()
    if area is None:
        raise exceptions.ValidationError({"area": [_("No such area.")]})
    if not user.has_perm(perm, area):
        raise exceptions.PermissionDenied
    return area


class VehicleViewSet(ScopedViewSet):
    model = Vehicle
    read_permission = VIEW_VEHICLE
    serializer_class = VehicleSerializer

    @extend_schema(request=NewVehicleSerializer, responses={201: VehicleSerializer})
    def create(self, request):
        require(request.user, CHANGE_TRANSFER)
        body = self.write(NewVehicleSerializer)
        area = area_of(request.user, body.pop("area"), CHANGE_TRANSFER)
        return self.answer(
            self.run_service(transfer_services.add_vehicle, area=area, **body), HTTP_201_CREATED
        )


class TransferViewSet(ScopedViewSet):
    """Transfers of people to a site: planned, then trips, the notice, dispatch (which places
    everyone by the allocation rules or stops), arrival (which checks them in)."""

    model = Transfer
    read_permission = VIEW_TRANSFER
    serializer_class = TransferSerializer
    filterset_class = TransferFilter

    def get_queryset(self):
        trips = Trip.objects.visible_to(self.request.user, VIEW_TRIP).select_related("vehicle")
        return (
            super()
            .get_queryset()
            .select_related("area")
            .prefetch_related(Prefetch("trips", queryset=trips))
        )

    @extend_schema(request=NewTransferSerializer, responses={201: TransferSerializer})
    def create(self, request):
        require(request.user, CHANGE_TRANSFER)
        body = self.write(NewTransferSerializer)
        area = area_of(request.user, body.pop("area"), CHANGE_TRANSFER)
        site = one(QuarantineSite, request.user, VIEW_SITE, body.pop("site"), "site")
        people = list(
            Quarantine.objects.visible_to(request.user, VIEW).filter(pk__in=body.pop("quarantines"))
        )
        made = self.run_service(
            transfer_services.plan_transfer, area=area, site=site, quarantines=people, **body
        )
        return self.answer(self.get_queryset().get(pk=made.pk), HTTP_201_CREATED)

    def acting(self):
        record = self.get_object()
        require(self.request.user, CHANGE_TRANSFER, record)
        return record

    @extend_schema(request=NewTripSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def trips(self, request, pk=None):
        """Add a trip: a vehicle and its passengers (no more than its seats, one category and
        one batch)."""
        record = self.acting()
        body = self.write(NewTripSerializer)
        vehicle = one(Vehicle, request.user, VIEW_TRANSFER, body["vehicle"], "vehicle")
        people = list(
            Quarantine.objects.visible_to(request.user, VIEW).filter(pk__in=body["quarantines"])
        )
        if len(people) != len(set(body["quarantines"])):
            raise exceptions.ValidationError({"quarantines": [_("No such record.")]})
        self.run_service(
            transfer_services.add_trip, transfer=record, vehicle=vehicle, quarantines=people
        )
        return self.answer(self.get_queryset().get(pk=record.pk))

    def step(self, service):
        record = self.acting()
        self.run_service(service, transfer=record)
        return self.answer(self.get_queryset().get(pk=record.pk))

    @extend_schema(request=None, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self.step(transfer_services.publish_notice)

    @extend_schema(request=None, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def dispatch_vehicles(self, request, pk=None):
        return self.step(transfer_services.dispatch)

    @extend_schema(request=None, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def arrive(self, request, pk=None):
        return self.step(transfer_services.arrive)


ROUTES = [
    ("quarantine-rules", RuleViewSet, "quarantine-rule"),
    ("quarantines", QuarantineViewSet, "quarantine"),
    ("quarantine-tests", TestViewSet, "quarantine-test"),
    ("quarantine-to-place", ToPlaceViewSet, "quarantine-to-place"),
    ("quarantine-sites", SiteViewSet, "quarantine-site"),
    ("quarantine-rooms", RoomViewSet, "quarantine-room"),
    ("vehicles", VehicleViewSet, "vehicle"),
    ("transfers", TransferViewSet, "transfer"),
]
