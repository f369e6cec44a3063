"""Verification lists (协查名单) and tasks in the API: upload a list, follow its progress per
area, read its results; list, verify and pass down tasks. Numbers are always masked."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from fangkong import dates
from fangkong.apibase import RolePermission, ScopedModelSerializer, ScopedViewSetMixin
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area
from fangkong.monitoring.models import MonitoringCategory
from fangkong.people.import_api import ProblemSerializer
from fangkong.people.models import Resident
from fangkong.quarantine.api import StartsQuarantine
from fangkong.verification import services
from fangkong.verification.filters import VerificationListFilter, VerificationTaskFilter
from fangkong.verification.models import (
    Result,
    VerificationEntry,
    VerificationList,
    VerificationTask,
)
from fangkong.verification.selectors import list_progress, rows_of_list, sources_of


class VerificationListSerializer(ScopedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    uploaded_by = serializers.CharField(
        source="uploaded_by.username", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = VerificationList
        fields = [
            "id",
            "uuid",
            "area",
            "name",
            "deadline",
            "file_name",
            "uploaded_by",
            "created_at",
            "rows_total",
            "rows_matched",
            "rows_unmatched",
            "rows_invalid",
            "rows_merged",
        ]
        read_only_fields = fields


class VerificationListDetailSerializer(VerificationListSerializer):
    problems = ProblemSerializer(many=True, read_only=True)

    class Meta(VerificationListSerializer.Meta):
        fields = [*VerificationListSerializer.Meta.fields, "problems"]
        read_only_fields = fields


class UploadSerializer(serializers.Serializer):
    area = AreaCodeField(
        queryset=Area.objects.none(), help_text=_("Code of the area the list is for.")
    )
    name = serializers.CharField(max_length=200)
    deadline = serializers.DateField(validators=[dates.DEADLINE])
    file = serializers.FileField(
        help_text=_(
            "Columns 姓名, 身份证号, 联系电话, 协查原因 and optionally 社区/村: "
            ".xlsx, .xls, .ods or .csv."
        )
    )
    uuid = serializers.UUIDField(
        required=False, help_text=_("Made by the client: a retried upload returns the same list.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["area"].queryset = Area.objects.visible_to(request.user, services.UPLOAD)


class ProgressRowSerializer(serializers.Serializer):
    area = serializers.CharField(allow_null=True, help_text=_("Area code; null for the total."))
    name = serializers.CharField(allow_null=True)
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    results = serializers.DictField(child=serializers.IntegerField())


class ProgressSerializer(serializers.Serializer):
    total = ProgressRowSerializer()
    areas = ProgressRowSerializer(many=True, help_text=_("Per child area of the list's area."))
    not_passed_down = ProgressRowSerializer(
        help_text=_("Tasks still at the list's own area, waiting to be passed down.")
    )


def progress_row(progress):
    return {
        "area": progress.area.code if progress.area else None,
        "name": progress.area.name if progress.area else None,
        "total": progress.total,
        "done": progress.done,
        "open": progress.open,
        "overdue": progress.overdue,
        "results": {value: progress.results[value] for value in Result.values},
    }


class EntrySerializer(ScopedModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)

    class Meta:
        model = VerificationEntry
        fields = [
            "list",
            "row",
            "name",
            "id_number",
            "phone",
            "community",
            "reason",
            "matched_by",
            "task",
        ]
        read_only_fields = fields


class VerificationListViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Verification lists of the caller's areas.

    Upload (multipart: `area`, `name`, `deadline`, `file`, optional `uuid`): the rows are
    matched at once (ID number, else phone, else name in the row's community) and refused
    rows are listed in `problems`. `progress` counts the tasks per child area; `results`
    gives every row with the task it went to.
    """

    model = VerificationList
    permission_classes = [RolePermission]
    read_permission = "verification.view_verificationlist"
    filterset_class = VerificationListFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return super().get_queryset().select_related("area", "uploaded_by").order_by("-id")

    def get_serializer_class(self):
        if self.action == "create":
            return UploadSerializer
        if self.action == "list":
            return VerificationListSerializer
        if self.action == "results":
            return EntrySerializer
        return VerificationListDetailSerializer

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={201: VerificationListDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        vlist = self.run_service(
            services.upload_list,
            area=data["area"],
            name=data["name"],
            deadline=data["deadline"],
            upload=data["file"],
            uuid=data.get("uuid"),
        )
        return Response(VerificationListDetailSerializer(vlist).data, status=HTTP_201_CREATED)

    @extend_schema(responses=ProgressSerializer, filters=False)
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """Tasks of the list per child area: in all, verified, open, overdue, by result."""
        total, children, own = list_progress(request.user, self.get_object())
        return Response(
            {
                "total": progress_row(total),
                "areas": [progress_row(p) for p in children if p.total],
                "not_passed_down": progress_row(own),
            }
        )

    @extend_schema(responses=EntrySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Every accepted row of the list with its task; the task's result is in `tasks`."""
        vlist = self.get_object()
        entries = rows_of_list(request.user, vlist).order_by("row")
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(EntrySerializer(page, many=True).data)


class TaskSerializer(ScopedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    worker = serializers.CharField(
        source="worker.name", default=None, allow_null=True, read_only=True
    )
    sources = serializers.IntegerField(
        source="source_count", read_only=True, help_text=_("How many list rows name this person.")
    )

    class Meta:
        model = VerificationTask
        fields = [
            "id",
            "area",
            "name",
            "resident",
            "worker",
            "deadline",
            "result",
            "result_note",
            "verified_at",
            "plan",
            "sources",
        ]
        read_only_fields = fields
        # Blank until the task is verified: the schema's enum says so.
        extra_kwargs = {"result": {"allow_blank": True}}


class TaskDetailSerializer(TaskSerializer):
    entries = serializers.SerializerMethodField()

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "entries"]
        read_only_fields = fields

    @extend_schema_field(EntrySerializer(many=True))
    def get_entries(self, task):
        """The list rows naming the task's person (the task was read through the scope)."""
        return EntrySerializer(sources_of([task]).order_by("list_id", "row"), many=True).data


class ResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    start_monitoring = serializers.BooleanField(
        required=False, default=False, help_text=_("Start a monitoring plan in the same step.")
    )
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=MonitoringCategory.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
    )
    ends_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[dates.PLAN_DAY]
    )


class PassDownSerializer(serializers.Serializer):
    area = AreaCodeField(
        queryset=Area.objects.none(), required=False, allow_null=True, default=None
    )
    resident = serializers.PrimaryKeyRelatedField(
        queryset=Resident.objects.none(), required=False, allow_null=True, default=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["area"].queryset = Area.objects.visible_to(request.user, services.ASSIGN)
            self.fields["resident"].queryset = Resident.objects.visible_to(
                request.user, services.ASSIGN
            )


class VerificationTaskViewSet(StartsQuarantine, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Verification tasks of the caller's areas: one per person, with every list row naming
    them as `entries`. `open=true&mine=true` is a grid worker's to-do list;
    `unmatched=true&open=true` the queue of people nobody matched."""

    model = VerificationTask
    permission_classes = [RolePermission]
    read_permission = "verification.view_verificationtask"
    filterset_class = VerificationTaskFilter

    def get_queryset(self):
        from django.db.models import Count

        return (
            super()
            .get_queryset()
            .select_related("area", "worker")
            .annotate(source_count=Count("entries"))
            .order_by("deadline", "area_path", "id")
        )

    def get_serializer_class(self):
        return TaskSerializer if self.action == "list" else TaskDetailSerializer

    def answer(self, task):
        return Response(TaskDetailSerializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=ResultSerializer, responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"])
    def result(self, request, pk=None):
        """Record what was found; `start_monitoring` with a `category` starts a plan in the
        same transaction. Repeating the same call changes nothing."""
        task = self.get_object()
        serializer = ResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = self.run_service(services.record_result, task=task, **serializer.validated_data)
        return self.answer(task)

    @extend_schema(request=PassDownSerializer, responses=TaskDetailSerializer)
    @action(detail=True, methods=["post"], url_path="pass-down")
    def pass_down(self, request, pk=None):
        """Send the task to a community or grid below its area, or name the resident it is."""
        task = self.get_object()
        serializer = PassDownSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        task = self.run_service(services.pass_down, task=task, **serializer.validated_data)
        return self.answer(task)


ROUTES = [
    ("verification-lists", VerificationListViewSet, "verification-list"),
    ("verification-tasks", VerificationTaskViewSet, "verification-task"),
]
