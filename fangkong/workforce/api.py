"""The duty roster API: posts, shifts (add, remove, substitute, swap, copy a period, repeat a
week weekly), the coverage check of an area's rosters, and the county's holidays. Lists and
lookups go through `visible_to(user, perm)`; every write goes through the service the pages
call."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from fangkong.apibase import ScopedViewSet
from fangkong.areas.models import Area, Worker
from fangkong.scope import system_scope
from fangkong.workforce import selectors, services
from fangkong.workforce.filters import DutyHolidayFilter, DutyPostFilter, DutyShiftFilter
from fangkong.workforce.models import DutyHoliday, DutyPost, DutyShift
from fangkong.workforce.permissions import (
    HOLIDAYS,
    POSTS,
    ROSTER,
    VIEW,
    VIEW_HOLIDAYS,
    VIEW_POSTS,
)
from fangkong.workforce.responsibility_api import ResponsibilityViewSet
from fangkong.workforce.serializers import (
    CopyAnswerSerializer,
    CopySerializer,
    DutyHolidaySerializer,
    DutyPostSerializer,
    DutyShiftSerializer,
    GapSerializer,
    NewPostSerializer,
    NewShiftSerializer,
    RepeatSerializer,
    SubstituteSerializer,
    SwapSerializer,
)

MAX_COVERAGE_DAYS = 62


def area_of(user, code, perm):
    """The area of `code` if the caller holds `perm` there; one they cannot see is not found."""
    area = Area.objects.visible_to(user, perm).filter(code=code).first()
    if area is None:
        raise exceptions.ValidationError({"area": [_("No such area in your scope.")]})
    return area


def worker_by_id(pk):
    # Any worker id: the service refuses one not of the post's area with the same words as
    # one that does not exist, so nothing is learnt of workers outside the caller's scope.
    with system_scope():
        worker = Worker.objects.filter(pk=pk).first()
    if worker is None:
        raise exceptions.ValidationError({"worker": [_("Choose an active worker of this area.")]})
    return worker


class DutyPostViewSet(mixins.UpdateModelMixin, ScopedViewSet):
    """The duty posts of the caller's communities and townships, each with the duty roles it
    needs and how many."""

    model = DutyPost
    read_permission = VIEW_POSTS
    serializer_class = DutyPostSerializer
    filterset_class = DutyPostFilter
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    @extend_schema(request=NewPostSerializer, responses={201: DutyPostSerializer})
    def create(self, request):
        if not request.user.has_perm(POSTS):
            raise exceptions.PermissionDenied
        body = self.write(NewPostSerializer)
        area = area_of(request.user, body.pop("area"), POSTS)
        post = self.run_service(services.save_post, area=area, **body)
        return self.answer(post, HTTP_201_CREATED)

    @extend_schema(request=DutyPostSerializer, responses=DutyPostSerializer)
    def update(self, request, pk=None, partial=False):
        post = self.get_object()
        if not request.user.has_perm(POSTS, post):
            raise exceptions.PermissionDenied
        body = self.write(DutyPostSerializer, instance=post)
        return self.answer(self.run_service(services.save_post, post=post, **body))


class DutyShiftViewSet(mixins.DestroyModelMixin, ScopedViewSet):
    """Duty shifts of the caller's areas by start time. POST adds one; a worker already on
    duty at that time is refused."""

    model = DutyShift
    read_permission = VIEW
    serializer_class = DutyShiftSerializer
    filterset_class = DutyShiftFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area", "post", "worker")

    def check_builder(self):
        if not self.request.user.has_perm(ROSTER):
            raise exceptions.PermissionDenied

    @extend_schema(request=NewShiftSerializer, responses={201: DutyShiftSerializer})
    def create(self, request):
        self.check_builder()
        body = self.write(NewShiftSerializer)
        body["worker"] = worker_by_id(body["worker"])
        shift = self.run_service(services.add_shift, **body)
        return self.answer(shift, HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        shift = self.get_object()
        if not request.user.has_perm(ROSTER, shift):
            raise exceptions.PermissionDenied
        self.run_service(services.remove_shift, shift=shift)
        return Response(status=HTTP_204_NO_CONTENT)

    @extend_schema(request=SubstituteSerializer, responses=DutyShiftSerializer)
    @action(detail=True, methods=["post"])
    def substitute(self, request, pk=None):
        """Another worker takes the shift (替班); the reason is required and audited."""
        shift = self.get_object()
        if not request.user.has_perm(ROSTER, shift):
            raise exceptions.PermissionDenied
        body = self.write(SubstituteSerializer)
        worker = worker_by_id(body["worker"])
        self.run_service(services.substitute, shift=shift, worker=worker, reason=body["reason"])
        return self.answer(self.get_queryset().get(pk=shift.pk))

    @extend_schema(request=SwapSerializer, responses=DutyShiftSerializer)
    @action(detail=True, methods=["post"])
    def swap(self, request, pk=None):
        """Two workers exchange their shifts (换班); the reason is required and audited."""
        shift = self.get_object()
        if not request.user.has_perm(ROSTER, shift):
            raise exceptions.PermissionDenied
        body = self.write(SwapSerializer)
        self.run_service(services.swap, shift=shift, **body)
        return self.answer(self.get_queryset().get(pk=shift.pk))

    def copied(self, result):
        created, skipped = result
        return Response(
            {
                "created": DutyShiftSerializer(created, many=True).data,
                "skipped": [f"{original}: {why}" for original, why in skipped],
            }
        )

    @extend_schema(request=CopySerializer, responses=CopyAnswerSerializer)
    @action(detail=False, methods=["post"])
    def copy(self, request):
        """Copy an area's shifts of a period to another (复制上周); shifts a worker could not
        stand are skipped and said."""
        self.check_builder()
        body = self.write(CopySerializer)
        area = area_of(request.user, body.pop("area"), ROSTER)
        return self.copied(self.run_service(services.copy_period, area=area, **body))

    @extend_schema(request=RepeatSerializer, responses=CopyAnswerSerializer)
    @action(detail=False, methods=["post"])
    def repeat(self, request):
        """Repeat an area's week over the following weeks (按周重复)."""
        self.check_builder()
        body = self.write(RepeatSerializer)
        area = area_of(request.user, body.pop("area"), ROSTER)
        return self.copied(self.run_service(services.repeat_weekly, area=area, **body))

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, required=True, description="An area's code."),
            OpenApiParameter("first", str, required=True, description="First day (YYYY-MM-DD)."),
            OpenApiParameter("last", str, required=True, description="Last day (YYYY-MM-DD)."),
        ],
        responses={
            200: GapSerializer(many=True),
            400: OpenApiResponse(
                description="The area or a day missing, a day not a date or outside the "
                "roster's window, or the check ending before it starts or longer than 62 days: "
                "each field with its reason."
            ),
        },
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def coverage(self, request):
        """The 24-hour coverage check of the area's rosters: every stretch in which a post
        has fewer people of a duty role than it needs, and on holidays every hour with nobody
        on duty (全天候有人值守)."""
        query = CoverageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        first, last = query.validated_data["first"], query.validated_data["last"]
        area = area_of(request.user, query.validated_data["area"], VIEW)
        gaps = selectors.gaps(request.user, area, first, last)
        return Response(GapSerializer(gaps, many=True).data)


class CoverageQuery(serializers.Serializer):
    area = serializers.CharField()
    first = serializers.DateField(validators=[services.DUTY_DAY])
    last = serializers.DateField(validators=[services.DUTY_DAY])

    def validate(self, data):
        days = (data["last"] - data["first"]).days
        if not 0 <= days < MAX_COVERAGE_DAYS:
            raise serializers.ValidationError(
                {"last": _("Check from 1 to %(n)d days at a time.") % {"n": MAX_COVERAGE_DAYS}}
            )
        return data


class DutyHolidayViewSet(mixins.DestroyModelMixin, ScopedViewSet):
    """The holidays counties keep for the duty roster (beyond the national ones)."""

    model = DutyHoliday
    read_permission = VIEW_HOLIDAYS
    serializer_class = DutyHolidaySerializer
    filterset_class = DutyHolidayFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area")

    @extend_schema(request=DutyHolidaySerializer, responses={201: DutyHolidaySerializer})
    def create(self, request):
        if not request.user.has_perm(HOLIDAYS):
            raise exceptions.PermissionDenied
        body = self.write(DutyHolidaySerializer)
        area = area_of(request.user, body.pop("area")["code"], HOLIDAYS)
        holiday = self.run_service(services.add_holiday, area=area, **body)
        return self.answer(holiday, HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        holiday = self.get_object()
        if not request.user.has_perm(HOLIDAYS, holiday):
            raise exceptions.PermissionDenied
        self.run_service(services.remove_holiday, holiday=holiday)
        return Response(status=HTTP_204_NO_CONTENT)


ROUTES = [
    ("duty-posts", DutyPostViewSet, "duty-post"),
    ("duty-shifts", DutyShiftViewSet, "duty-shift"),
    ("duty-holidays", DutyHolidayViewSet, "duty-holiday"),
    ("responsibilities", ResponsibilityViewSet, "responsibility"),
]
