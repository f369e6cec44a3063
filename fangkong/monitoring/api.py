"""The monitoring API: categories, plans, checks (idempotent by client uuid), alerts, day counts.

Lists and lookups go through `visible_to(user, perm)` with each model's view permission;
writes through the services the pages call.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.status import HTTP_200_OK, HTTP_201_CREATED

from fangkong.apibase import RolePermission, ScopedViewSet
from fangkong.areas.models import Area, is_area_code
from fangkong.monitoring import selectors, services
from fangkong.monitoring.filters import AlertFilter, CheckFilter, PlanFilter
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringCategory, MonitoringPlan
from fangkong.monitoring.serializers import (
    AlertSerializer,
    AreaDaySerializer,
    CategorySerializer,
    CheckSerializer,
    DisposeSerializer,
    PlanCreateSerializer,
    PlanSerializer,
    RestNormalSerializer,
    StopSerializer,
)


class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Monitoring categories with their length, schedule, fever threshold and symptoms.

    The same for everyone (not place-bound), and few: a list, no detail route."""

    queryset = MonitoringCategory.objects.prefetch_related("symptoms")
    serializer_class = CategorySerializer
    permission_classes = [RolePermission]
    read_permission = "monitoring.view_monitoringplan"


@extend_schema_view(
    create=extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer}),
)
class PlanViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """Monitoring plans of the caller's areas. Stopping early is `stop`, with a reason."""

    model = MonitoringPlan
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    read_permission = "monitoring.view_monitoringplan"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("area", "category", "resident")
            .order_by("area_path", "ends_on", "id")
        )

    def create(self, request):
        data = self.write(PlanCreateSerializer)
        plan = self.run_service(services.start_plan, **data)
        return self.answer(plan, HTTP_201_CREATED)

    @extend_schema(request=StopSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        plan = self.get_object()
        data = self.write(StopSerializer)
        self.run_service(services.stop_plan, plan=plan, **data)
        return self.answer(self.get_object())

    @extend_schema(
        parameters=[OpenApiParameter("within", str, description="An area code; yours if left out")],
        responses=AreaDaySerializer(many=True),
    )
    # A short list, one row per child area: not paged, and the plan filters do not apply.
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def today(self, request):
        """Per child area of `within`: plans open today, checks due, done, missed, abnormal,
        open alerts, derived from the records at the time of asking."""
        code = request.query_params.get("within", "")
        # The areas where the caller may read plans: an area outside is not found.
        areas = Area.objects.visible_to(request.user, self.read_permission)
        if code:
            area = areas.filter(code=code).first() if is_area_code(code) else None
        else:
            area = areas.order_by("path").first()
        if area is None:
            raise NotFound
        children = list(areas.filter(parent=area).order_by("code")) or [area]
        records = selectors.Records.visible_to(request.user)
        figures = selectors.area_day_counts(records, children, services.today())
        return Response(AreaDaySerializer(figures, many=True).data)


@extend_schema_view(
    create=extend_schema(
        request=CheckSerializer,
        responses={201: CheckSerializer, 200: CheckSerializer},
        description="Record a check. A `uuid` already recorded for this plan answers 200 with "
        "that check; one taken by any other check is refused (400).",
    ),
)
class CheckViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """Health checks of the caller's areas, newest first."""

    model = HealthCheck
    serializer_class = CheckSerializer
    filterset_class = CheckFilter
    read_permission = "monitoring.view_healthcheck"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("plan")
            .prefetch_related("symptoms")
            .order_by("-day", "-slot", "-id")
        )

    def create(self, request):
        data = self.write(CheckSerializer)
        check = self.run_service(services.record_check, **data)
        return self.answer(check, HTTP_201_CREATED if check.created else HTTP_200_OK)

    @extend_schema(
        request=RestNormalSerializer,
        responses={201: CheckSerializer(many=True), 200: CheckSerializer(many=True)},
        description="其余均正常: a normal check of today for each plan named that still has "
        "a check to record today and nothing abnormal: no symptoms, and no temperature "
        "reading (`temperature` null); the others are left alone. Each check takes its "
        "item's `uuid`: sent again, the same checks answer (200). A plan the caller may not "
        "record checks of refuses the whole request (403).",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="rest-normal",
        pagination_class=None,
        filter_backends=[],
    )
    def rest_normal(self, request):
        data = self.write(RestNormalSerializer)
        checks = [(item["plan"], item["uuid"]) for item in data["checks"]]
        made = self.run_service(services.record_rest_normal, checks=checks)
        code = HTTP_201_CREATED if any(c.created for c in made) else HTTP_200_OK
        return Response(CheckSerializer(made, many=True).data, status=code)


class AlertViewSet(ScopedViewSet):
    """Alerts raised by abnormal checks; each stays open until `dispose` says what was done."""

    model = Alert
    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    read_permission = "monitoring.view_alert"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("area", "plan__resident", "check_record")
            .order_by("-opened_at", "-id")
        )

    @extend_schema(request=DisposeSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def dispose(self, request, pk=None):
        alert = self.get_object()
        data = self.write(DisposeSerializer)
        self.run_service(services.dispose_alert, alert=alert, **data)
        return self.answer(self.get_object())


ROUTES = [
    ("monitoring-categories", CategoryViewSet, "monitoringcategory"),
    ("monitoring-plans", PlanViewSet, "monitoringplan"),
    ("health-checks", CheckViewSet, "healthcheck"),
    ("alerts", AlertViewSet, "alert"),
]
