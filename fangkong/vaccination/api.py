"""The API of workers' vaccination, to those who manage workers: doses and exemptions
(recorded through the services the pages call: a retried request records once, 201 the
first time and 200 after; a dose in the future or out of order is a 400 naming the field),
the counties' dose intervals, and per area `vaccination-coverage/<code>/` and
`vaccination-due/<code>/` (who is due for the next dose)."""

from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import RolePermission, ScopedViewSet, ScopedViewSetMixin, created, require
from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.areas.models import AREA_CODE, Area
from fangkong.training.serializers import WorkerCoverageSerializer, coverage_data
from fangkong.vaccination import selectors, services
from fangkong.vaccination.models import DoseInterval, Vaccination, VaccinationExemption
from fangkong.vaccination.permissions import (
    RECORD_VACCINATION,
    SET_INTERVALS,
    VIEW_VACCINATION,
)
from fangkong.vaccination.serializers import (
    DoseIntervalSerializer,
    DueQuery,
    EndExemptionSerializer,
    ExemptionSerializer,
    RecordDoseSerializer,
    RecordExemptionSerializer,
    SetIntervalSerializer,
    StatusSerializer,
    VaccinationCoverageQuery,
    VaccinationSerializer,
)


class WorkerRecordFilter(filters.FilterSet):
    within = WithinAreaFilter(label="within the area with this code")
    worker = IdFilter(field_name="worker_id", label="worker")


class VaccinationFilter(WorkerRecordFilter):
    class Meta:
        model = Vaccination
        fields = []


class ExemptionFilter(WorkerRecordFilter):
    in_force = filters.BooleanFilter(method="by_force", label="in force today")

    class Meta:
        model = VaccinationExemption
        fields = []

    def by_force(self, queryset, name, value):
        if value is None:
            return queryset
        current = selectors.in_force(queryset)
        return current if value else queryset.exclude(Q(pk__in=current.values("pk")))


class VaccinationViewSet(ScopedViewSet):
    """Doses of the workers of the caller's areas. POST records one: the next in the
    worker's sequence, given on a day not in the future and after the one before."""

    model = Vaccination
    serializer_class = VaccinationSerializer
    filterset_class = VaccinationFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    @extend_schema(
        request=RecordDoseSerializer,
        responses={201: VaccinationSerializer, 200: VaccinationSerializer},
    )
    def create(self, request):
        require(request, RECORD_VACCINATION)
        data = self.write(RecordDoseSerializer)
        dose = self.run_service(services.record_dose, **data)
        return self.answer(self.get_queryset().get(pk=dose.pk), created(dose))

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """Remove a dose recorded by mistake (only a worker's latest)."""
        self.run_service(services.remove_dose, dose=self.get_object())
        return Response(status=204)


class ExemptionViewSet(ScopedViewSet):
    """Vaccination exemptions of the workers of the caller's areas. POST records one;
    `end` ends it (today unless a day is given)."""

    model = VaccinationExemption
    serializer_class = ExemptionSerializer
    filterset_class = ExemptionFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    @extend_schema(
        request=RecordExemptionSerializer,
        responses={201: ExemptionSerializer, 200: ExemptionSerializer},
    )
    def create(self, request):
        require(request, RECORD_VACCINATION)
        data = self.write(RecordExemptionSerializer)
        exemption = self.run_service(services.record_exemption, **data)
        return self.answer(self.get_queryset().get(pk=exemption.pk), created(exemption))

    @extend_schema(request=EndExemptionSerializer, responses=ExemptionSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        exemption = self.get_object()
        data = self.write(EndExemptionSerializer)
        return self.answer(self.run_service(services.end_exemption, exemption=exemption, **data))


class DoseIntervalViewSet(ScopedViewSet):
    """The dose intervals counties set (a dose without one keeps the default). POST sets
    one."""

    model = DoseInterval
    serializer_class = DoseIntervalSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    @extend_schema(request=SetIntervalSerializer, responses={201: DoseIntervalSerializer})
    def create(self, request):
        require(request, SET_INTERVALS)
        data = self.write(SetIntervalSerializer)
        interval = self.run_service(services.set_interval, **data)
        return self.answer(interval, HTTP_201_CREATED)


class AreaViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    model = Area
    permission_classes = [RolePermission]
    read_permission = VIEW_VACCINATION
    lookup_field = "code"
    lookup_value_regex = AREA_CODE.pattern
    pagination_class = None
    filter_backends = []


class VaccinationCoverageViewSet(AreaViewSet):
    """An area's vaccination coverage today: of the active workers of each role (or
    affiliation), how many had at least one dose, a full course, or are exempt; the area
    first, then each child area."""

    serializer_class = WorkerCoverageSerializer

    @extend_schema(parameters=[OpenApiParameter("by", str, enum=["role", "affiliation"])])
    def retrieve(self, request, code=None):
        area = self.get_object()
        query = VaccinationCoverageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        by = query.validated_data["by"]
        found = selectors.coverage(
            request.user, area, selectors.children_of(request.user, area), by=by
        )
        return Response(WorkerCoverageSerializer(coverage_data(found, by=by)).data)


class VaccinationDueViewSet(AreaViewSet):
    """The active workers of an area due for their next dose (within `days`, most overdue
    first), or in another `state`: unvaccinated, exempt, up_to_date, done."""

    serializer_class = StatusSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=[value for value, _l in selectors.STATES]),
            OpenApiParameter("days", int, description="Due within this many days (0-90)."),
        ],
        responses=StatusSerializer(many=True),
    )
    def retrieve(self, request, code=None):
        area = self.get_object()
        query = DueQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.due_list(
            request.user,
            area,
            state=query.validated_data["state"],
            ahead=query.validated_data["days"],
        )
        return Response(StatusSerializer(found, many=True).data)


ROUTES = [
    ("vaccinations", VaccinationViewSet, "vaccination"),
    ("vaccination-exemptions", ExemptionViewSet, "vaccination-exemption"),
    ("dose-intervals", DoseIntervalViewSet, "dose-interval"),
    ("vaccination-coverage", VaccinationCoverageViewSet, "vaccination-coverage"),
    ("vaccination-due", VaccinationDueViewSet, "vaccination-due"),
]
