"""The resident import (摸排表导入) in the API: upload a file, follow its check, confirm it."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED, HTTP_202_ACCEPTED

from fangkong.apibase import RolePermission, ScopedModelSerializer, ScopedViewSetMixin
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area, Level
from fangkong.people import import_jobs
from fangkong.people.imports import FIELDS
from fangkong.people.models import ImportJob


class CountsSerializer(serializers.Serializer):
    new = serializers.IntegerField(required=False, help_text="Rows that add a resident.")
    updated = serializers.IntegerField(required=False, help_text="Rows that change a resident.")
    unchanged = serializers.IntegerField(required=False, help_text="Rows already registered.")
    invalid = serializers.IntegerField(required=False, help_text="Rows refused (see problems).")
    households = serializers.IntegerField(required=False, help_text="Households to add.")
    buildings = serializers.IntegerField(required=False, help_text="Buildings to add.")
    unplaced = serializers.IntegerField(
        required=False,
        help_text="New residents without an address that splits, registered in their grid "
        "without a household (待落户).",
    )
    key_groups = serializers.IntegerField(
        required=False, help_text="Key-group tags to add (before the commit), added (after)."
    )
    kinds = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text="The key-group tags to add by key group (before the commit).",
    )


class FileColumnsSerializer(serializers.Serializer):
    known = serializers.ListField(
        child=serializers.CharField(),
        default=list,
        help_text="The fields the file has a column for (none before the check).",
    )
    unknown = serializers.ListField(
        child=serializers.CharField(),
        default=list,
        help_text="Headers the import does not know, as written: say what each holds with "
        "`columns`.",
    )


class ColumnsSerializer(serializers.Serializer):
    columns = serializers.DictField(
        child=serializers.ChoiceField(choices=["", *(f.key for f in FIELDS)], allow_blank=True),
        help_text='{header as written: field, or "" to ignore the column}; remembered for the '
        "area's next file.",
    )


class ProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Row number as the file shows it.")
    column = serializers.CharField(help_text="The column's header as written in the file.")
    reason = serializers.CharField()


class ImportJobSerializer(ScopedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.CharField(
        source="created_by.username", default=None, allow_null=True, read_only=True
    )
    counts = CountsSerializer(read_only=True)
    retryable = serializers.BooleanField(
        read_only=True,
        help_text="The background work was interrupted (its worker stopped): `retry` runs it "
        "again, `cancel` drops the file.",
    )

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "area",
            "file_name",
            "state",
            "rows_total",
            "rows_done",
            "counts",
            "message",
            "retryable",
            "created_by",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportJobDetailSerializer(ImportJobSerializer):
    problems = ProblemSerializer(many=True, read_only=True)
    file_columns = FileColumnsSerializer(read_only=True)
    columns = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        read_only=True,
        help_text="What the headers the import does not know are read as in this import.",
    )

    class Meta(ImportJobSerializer.Meta):
        fields = [*ImportJobSerializer.Meta.fields, "problems", "file_columns", "columns"]
        read_only_fields = fields


class ImportJobCreateSerializer(serializers.Serializer):
    area = AreaCodeField(
        queryset=Area.objects.none(), help_text="Code of the grid or community imported into."
    )
    file = serializers.FileField(help_text=".xlsx, .xls, .ods or .csv (UTF-8 or GBK).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["area"].queryset = Area.objects.visible_to(
                request.user, "areas.view_area"
            ).filter(level__in=[Level.GRID, Level.COMMUNITY])


class ResidentImportViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Resident imports (摸排表导入) in the caller's areas.

    Upload a file (multipart: `area`, `file`); it is checked in the background: follow
    `state` and `rows_done` of `rows_total`. When `state` is `ready`, `counts` and `problems`
    are the preview (invalid rows with row number, column and reason); `commit` saves every
    valid row in one transaction, or nothing. A second `commit` of the same import does
    nothing.

    When the background work stops without an answer (its worker was killed), the import
    is `failed` with `retryable` true once `FANGKONG_JOB_TIMEOUT_MINUTES` passed: `retry`
    runs the interrupted check or save again (never saving twice), `cancel` ends it.
    """

    model = ImportJob
    permission_classes = [RolePermission]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return (
            import_jobs.jobs_visible_to(self.request.user)
            .defer("data", "rejected_rows")
            .select_related("area", "created_by")
            .order_by("-created_at", "-id")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return ImportJobCreateSerializer
        if self.action == "list":
            return ImportJobSerializer
        return ImportJobDetailSerializer

    @extend_schema(
        request={"multipart/form-data": ImportJobCreateSerializer},
        responses={201: ImportJobDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = self.run_service(import_jobs.submit, area=data["area"], upload=data["file"])
        return Response(ImportJobDetailSerializer(job).data, status=HTTP_201_CREATED)

    def retrieve(self, request, *args, **kwargs):
        job = self.get_object()
        if job.stalled and import_jobs.recover_job(job):
            job = self.get_object()  # its worker was lost: now failed, to be retried
        return Response(self.get_serializer(job).data)

    @extend_schema(request=None, responses={202: ImportJobDetailSerializer})
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        """Confirm a checked import (`state` `ready`): its valid rows are saved, all or nothing."""
        job = self.run_service(import_jobs.commit, job=self.get_object())
        return Response(ImportJobDetailSerializer(job).data, status=HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: ImportJobDetailSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Run again the check or the save of an import whose background work was interrupted
        (`retryable`). A second `retry` does nothing."""
        job = self.run_service(import_jobs.retry, job=self.get_object())
        return Response(ImportJobDetailSerializer(job).data, status=HTTP_202_ACCEPTED)

    @extend_schema(request=ColumnsSerializer, responses={202: ImportJobDetailSerializer})
    @action(detail=True, methods=["post"])
    def columns(self, request, pk=None):
        """Say what the headers the import does not know hold (`file_columns.unknown`), on a
        checked import: it is checked again with them, and they are remembered for the area."""
        job = self.get_object()
        serializer = ColumnsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        columns = serializer.validated_data["columns"]
        job = self.run_service(import_jobs.choose_columns, job=job, columns=columns)
        return Response(ImportJobDetailSerializer(job).data, status=HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: ImportJobDetailSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel an import being checked, waiting for confirmation or interrupted."""
        job = self.run_service(import_jobs.cancel, job=self.get_object())
        return Response(ImportJobDetailSerializer(job).data)


ROUTES = [("resident-imports", ResidentImportViewSet, "resident-import")]
