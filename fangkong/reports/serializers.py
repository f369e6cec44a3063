from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fangkong import dates
from fangkong.apibase import ScopedFieldsMixin, ScopedModelSerializer
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area
from fangkong.reports.models import DailyReport, ReportDeadline, ReportVersion


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportVersion
        fields = ["number", *ReportVersion.SNAPSHOT_FIELDS, "reason", "submitted_at"]
        # Read-only: no integer bounds, which differ between the databases.
        read_only_fields = fields


class ReportSerializer(ScopedModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = DailyReport
        fields = [
            "id",
            "area",
            "area_name",
            "level",
            "day",
            *DailyReport.SNAPSHOT_FIELDS,
            "version",
            "late",
            "submitted_at",
            "amended_at",
            "versions",
        ]
        read_only_fields = fields


class SubmitSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(queryset=Area.objects.none())
    day = serializers.DateField(validators=[dates.REPORT_DAY])
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    zero_report = serializers.BooleanField(
        default=False, help_text="True states that there is no new situation (零报告)."
    )
    reviewed = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="The `fingerprint` of the figures the caller reviewed (from report-days); "
        "if the figures changed since, the submission is refused.",
    )
    send_despite_missing = serializers.BooleanField(
        default=False,
        help_text="Above a community: True says the caller knows which communities have not "
        "reported (report-days' `missing`, `late`) and sends the sum without them. Required "
        "while any is missing, else 400.",
    )


class AmendSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    zero_report = serializers.BooleanField(default=False)
    reviewed = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    send_despite_missing = serializers.BooleanField(default=False)


class TallySerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField()
    zero = serializers.IntegerField()
    completeness = serializers.FloatField(allow_null=True)
    timeliness = serializers.FloatField(allow_null=True)
    figures = serializers.DictField(child=serializers.IntegerField())


class ChildSerializer(serializers.Serializer):
    code = serializers.CharField(source="area.code")
    name = serializers.CharField(source="area.name")
    level = serializers.CharField(source="area.level")
    state = serializers.CharField(help_text="on_time, late, missing or due: the child's own report")
    report = serializers.IntegerField(source="report.pk", allow_null=True, default=None)
    tally = TallySerializer()


class MissingSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    parent_name = serializers.CharField()


class ReportDaySerializer(serializers.Serializer):
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    day = serializers.DateField()
    deadline = serializers.DateTimeField()
    state = serializers.CharField(help_text="on_time, late, missing or due")
    report = ReportSerializer(allow_null=True)
    current = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="The figures a submission would freeze now: a community's live figures, "
        "above it the sum of its communities' reports.",
    )
    fingerprint = serializers.CharField(help_text="Send as `reviewed` with the submission.")
    tally = TallySerializer()
    children = ChildSerializer(many=True)
    missing = MissingSerializer(many=True, help_text="The first 100 communities not reported")
    late = MissingSerializer(many=True, help_text="The first 100 communities reported late")


class TrendSerializer(serializers.Serializer):
    days = serializers.ListField(child=serializers.DateField())
    completeness = serializers.ListField(child=serializers.FloatField())
    timeliness = serializers.ListField(child=serializers.FloatField())
    figures = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))


@extend_schema_field(
    {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$", "example": "09:00:00"}
)
class LocalTimeField(serializers.TimeField):
    """A local time of day, HH:MM:SS. Not OpenAPI's `format: time`: that is RFC 3339's, which
    demands a UTC offset the answer does not carry."""


class DeadlineSerializer(serializers.ModelSerializer):
    due_time = LocalTimeField(
        read_only=True, label=ReportDeadline._meta.get_field("due_time").verbose_name
    )

    class Meta:
        model = ReportDeadline
        fields = ["level", "days_after", "due_time"]
        read_only_fields = fields
