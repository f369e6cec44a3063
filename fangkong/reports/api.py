"""The daily report API: reports (submit, amend), an area's day, its trend, the deadlines.

Lists and lookups go through `visible_to(user, "reports.view_dailyreport")`; writes through
the services the pages call.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import RolePermission, ScopedViewSet, ScopedViewSetMixin
from fangkong.areas.models import AREA_CODE, Area
from fangkong.reports import selectors, services
from fangkong.reports.filters import ReportFilter
from fangkong.reports.models import REPORTING_LEVELS, DailyReport, ReportDeadline
from fangkong.reports.serializers import (
    AmendSerializer,
    DeadlineSerializer,
    ReportDaySerializer,
    ReportSerializer,
    SubmitSerializer,
    TrendSerializer,
)
from fangkong.reports.views import VIEW, current_figures, report_day

DAY = OpenApiParameter("day", str, description="YYYY-MM-DD; yesterday if left out")


class ReportViewSet(ScopedViewSet):
    """Sent daily reports of the caller's areas, each with every version.

    `submit` freezes an area's figures for a date (a zero report with `zero_report`);
    sending the same again answers 200 with the report it made. `amend` adds a version."""

    model = DailyReport
    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    read_permission = VIEW

    def get_queryset(self):
        return super().get_queryset().select_related("area").prefetch_related("versions")

    @extend_schema(
        request=SubmitSerializer, responses={201: ReportSerializer, 200: ReportSerializer}
    )
    @action(detail=False, methods=["post"])
    def submit(self, request):
        data = self.write(SubmitSerializer)
        report = self.run_service(services.submit_report, **data)
        # The service says whether this call made the report: of two sent at the same
        # moment, only the one that made it answers 201.
        return self.answer(
            self.get_queryset().get(pk=report.pk), HTTP_201_CREATED if report.created else 200
        )

    @extend_schema(request=AmendSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        report = self.get_object()
        data = self.write(AmendSerializer)
        self.run_service(services.amend_report, area=report.area, day=report.day, **data)
        return self.answer(self.get_object())


class ReportDayViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """An area's day: its own report, the figures it would send, and per child area the
    completeness, timeliness and sums, with the communities that have not reported."""

    model = Area
    permission_classes = [RolePermission]
    read_permission = VIEW
    serializer_class = ReportDaySerializer
    lookup_field = "code"
    lookup_value_regex = AREA_CODE.pattern

    def reporting_area(self):
        area = self.get_object()
        if area.level not in REPORTING_LEVELS or not self.request.user.has_perm(VIEW, area):
            raise exceptions.NotFound
        return area

    def day(self):
        day, error = report_day(self.request.query_params.get("day"))
        if error:
            raise exceptions.ValidationError({"day": [error]})
        return day

    @extend_schema(parameters=[DAY])
    def retrieve(self, request, code=None):
        area = self.reporting_area()
        now = timezone.now()
        overview = selectors.day_overview(area, self.day(), now, user=request.user)
        current = current_figures(area, overview, now)
        data = {
            **vars(overview),
            "current": current,
            "fingerprint": selectors.fingerprint(current),
        }
        return Response(ReportDaySerializer(data).data)

    @extend_schema(parameters=[DAY], responses=TrendSerializer)
    @action(detail=True, methods=["get"])
    def trend(self, request, code=None):
        """The 30 days up to `day`: completeness and timeliness in %, and the key figures."""
        area = self.reporting_area()
        trend = selectors.trend(area, self.day(), user=request.user)
        return Response(TrendSerializer(trend).data)


class DeadlineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """By when each level's report for a date is due (`days_after` the date, at `due_time`)."""

    queryset = ReportDeadline.objects.all()
    serializer_class = DeadlineSerializer
    permission_classes = [RolePermission]
    read_permission = VIEW


ROUTES = [
    ("daily-reports", ReportViewSet, "daily-report"),
    ("report-days", ReportDayViewSet, "report-day"),
    ("report-deadlines", DeadlineViewSet, "report-deadline"),
]
