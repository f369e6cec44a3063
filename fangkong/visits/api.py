"""The API of visits, patrols and care: lists through `visible_to(user, perm)` and the
FilterSets of the pages; recordings through the services the pages call, each with a client
UUID so that a retried request records once (201 the first time, 200 after)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import RolePermission, ScopedViewSet, ScopedViewSetMixin, created
from fangkong.areas.models import AREA_CODE, Area, Level
from fangkong.care.selectors import LatestFirst
from fangkong.visits import care_services, selectors, services
from fangkong.visits.filters import CarePlanFilter, CareVisitFilter, PatrolFilter, VisitFilter
from fangkong.visits.models import CareCampaign, CarePlan, CareVisit, Patrol, Visit
from fangkong.visits.permissions import (
    PLAN_CARE,
    RECORD_CARE,
    RECORD_PATROL,
    RECORD_VISIT,
    VIEW_CARE,
    VIEW_VISIT,
)
from fangkong.visits.serializers import (
    AreaCoverageSerializer,
    CampaignSerializer,
    CarePlanSerializer,
    CareVisitSerializer,
    OverdueHouseholdSerializer,
    PatrolSerializer,
    RecordCareVisitSerializer,
    RecordPatrolSerializer,
    RecordVisitSerializer,
    StartCampaignSerializer,
    VisitSerializer,
)


class NewestFirst:
    """A list of visits newest first, as the pages read it: the page's ids through
    `LatestFirst` (walking back in time over a large subtree), then their rows."""

    def list(self, request):
        # (No docstring: the viewset's says what the list is, in the schema.)
        found = self.filterset_class(request.query_params, self.get_queryset(), request=request)
        if not found.is_valid():
            raise exceptions.ValidationError(found.errors)
        ids = self.paginate_queryset(LatestFirst(found.qs, found.scope(), field="visited_on"))
        rows = {row.pk: row for row in self.get_queryset().filter(pk__in=list(ids))}
        found = [rows[pk] for pk in ids if pk in rows]
        return self.get_paginated_response(self.get_serializer(found, many=True).data)


class VisitViewSet(NewestFirst, ScopedViewSet):
    """Household visits of the caller's areas, newest first. POST records the caller's visit
    to a household they may visit."""

    model = Visit
    serializer_class = VisitSerializer
    filterset_class = VisitFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area", "worker")

    @extend_schema(
        request=RecordVisitSerializer, responses={201: VisitSerializer, 200: VisitSerializer}
    )
    def create(self, request):
        if not request.user.has_perm(RECORD_VISIT):
            raise exceptions.PermissionDenied
        data = self.write(RecordVisitSerializer)
        visit = self.run_service(services.record_visit, **data)
        return self.answer(self.get_queryset().get(pk=visit.pk), created(visit))


class OverdueHouseholdViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Households overdue for a visit (never visited, or not within their community's cycle),
    by due day; `mine=true`: those the caller is responsible for."""

    read_permission = VIEW_VISIT
    permission_classes = [RolePermission]
    serializer_class = OverdueHouseholdSerializer

    def get_queryset(self):
        mine = self.request.query_params.get("mine") in ("1", "true", "True")
        return selectors.overdue_households(self.request.user, mine=mine)

    @extend_schema(
        parameters=[
            OpenApiParameter("mine", bool, description="Only the caller's households."),
        ]
    )
    def list(self, request):
        return super().list(request)


class PatrolViewSet(ScopedViewSet):
    """Patrols of the caller's areas, newest first. POST (JSON or multipart with a photo)
    records the caller's patrol of a grid or community."""

    model = Patrol
    serializer_class = PatrolSerializer
    filterset_class = PatrolFilter
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return super().get_queryset().select_related("area", "worker")

    @extend_schema(
        request=RecordPatrolSerializer, responses={201: PatrolSerializer, 200: PatrolSerializer}
    )
    def create(self, request):
        if not request.user.has_perm(RECORD_PATROL):
            raise exceptions.PermissionDenied
        data = self.write(RecordPatrolSerializer)
        patrol = self.run_service(services.record_patrol, **data)
        return self.answer(self.get_queryset().get(pk=patrol.pk), created(patrol))


class CarePlanViewSet(ScopedViewSet):
    """Open care plans of the caller's areas by due day; `missed=true`: past it."""

    model = CarePlan
    serializer_class = CarePlanSerializer
    filterset_class = CarePlanFilter

    def get_queryset(self):
        plans = selectors.care_plans(self.request.user).select_related("resident")
        if self.request.query_params.get("missed") in ("1", "true", "True"):
            plans = selectors.missed(plans)
        return plans.order_by("due_on", "id")

    def page(self, request):
        """The page's ids by due day first (`selectors.SortedIds`), then their rows."""
        found = self.filterset_class(request.query_params, self.get_queryset(), request=request)
        if not found.is_valid():
            raise exceptions.ValidationError(found.errors)
        ids = self.paginate_queryset(selectors.SortedIds(found.qs, "due_on", "id"))
        rows = {row.pk: row for row in self.get_queryset().filter(pk__in=list(ids))}
        found = [rows[pk] for pk in ids if pk in rows]
        return self.get_paginated_response(self.get_serializer(found, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("missed", bool, description="Only plans past their day.")]
    )
    def list(self, request):
        return self.page(request)


class CareVisitViewSet(NewestFirst, ScopedViewSet):
    """Care visits of the caller's areas, newest first. POST records one: every open care
    plan of the person is met."""

    model = CareVisit
    serializer_class = CareVisitSerializer
    filterset_class = CareVisitFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area", "worker")

    @extend_schema(
        request=RecordCareVisitSerializer,
        responses={201: CareVisitSerializer, 200: CareVisitSerializer},
    )
    def create(self, request):
        if not request.user.has_perm(RECORD_CARE):
            raise exceptions.PermissionDenied
        data = self.write(RecordCareVisitSerializer)
        visit = self.run_service(care_services.record_care_visit, **data)
        return self.answer(self.get_queryset().get(pk=visit.pk), created(visit))


class CareCampaignViewSet(ScopedViewSet):
    """Holiday campaigns of the caller's areas. POST starts one on an area."""

    model = CareCampaign
    serializer_class = CampaignSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    @extend_schema(request=StartCampaignSerializer, responses={201: CampaignSerializer})
    def create(self, request):
        if not request.user.has_perm(PLAN_CARE):
            raise exceptions.PermissionDenied
        data = self.write(StartCampaignSerializer)
        campaign = self.run_service(care_services.start_campaign, **data)
        return self.answer(campaign, HTTP_201_CREATED)


class VisitCoverageViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """An area's households visited within their cycle, per child area, and its care plans
    met per key group."""

    model = Area
    read_permission = VIEW_VISIT
    permission_classes = [RolePermission]
    serializer_class = AreaCoverageSerializer
    lookup_field = "code"
    lookup_value_regex = AREA_CODE.pattern

    def get_queryset(self):
        return Area.objects.visible_to(self.request.user, VIEW_VISIT)

    def retrieve(self, request, code=None):
        user = request.user
        area = self.get_object()
        children = list(self.get_queryset().filter(parent=area)) if area.level != Level.GRID else []
        kept = selectors.kept_counts(user, area)
        (total, covered), by_child = selectors.coverage(user, area, children, kept=kept)
        care = selectors.care_coverage(user, area, kept=kept) if user.has_perm(VIEW_CARE) else []
        data = {
            "area": area.code,
            "name": area.name,
            "households": total,
            "covered": covered,
            "cycle_days": (
                services.cycle_days(area.path)
                if area.level in (Level.COMMUNITY, Level.GRID)
                else None
            ),
            "children": [
                {
                    "area": child.code,
                    "name": child.name,
                    "households": by_child.get(child.path, (0, 0))[0],
                    "covered": by_child.get(child.path, (0, 0))[1],
                }
                for child in children
            ],
            "care": [
                {"group": group, "plans": n, "on_time": met} for group, _label, n, met in care
            ],
        }
        return Response(AreaCoverageSerializer(data).data)


ROUTES = [
    ("visits", VisitViewSet, "visit"),
    ("overdue-households", OverdueHouseholdViewSet, "overdue-household"),
    ("patrols", PatrolViewSet, "patrol"),
    ("care-plans", CarePlanViewSet, "care-plan"),
    ("care-visits", CareVisitViewSet, "care-visit"),
    ("care-campaigns", CareCampaignViewSet, "care-campaign"),
    ("visit-coverage", VisitCoverageViewSet, "visit-coverage"),
]
