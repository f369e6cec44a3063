from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fangkong.apibase import ScopedFieldsMixin
from fangkong.workforce.models import MAX_PER_ROLE, DutyHoliday, DutyPost, DutyRole, DutyShift
from fangkong.workforce.services import MAX_REPEAT_WEEKS


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^[0-9]{2}:[0-9]{2}(:[0-9]{2})?$",
        "example": "08:00",
        "description": "A time of day, HH:MM (seconds accepted, ignored in the answer).",
    }
)
class ClockTimeField(serializers.TimeField):
    """A time of day as HH:MM: OpenAPI's format "time" wants an offset, which a duty post's
    local time of day has not."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class DutyPostSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    starts = ClockTimeField(label=DutyPost._meta.get_field("starts").verbose_name)
    ends = ClockTimeField(label=DutyPost._meta.get_field("ends").verbose_name)
    needs = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_PER_ROLE),
        help_text="How many of each duty role (leader, officer, medical, patrol) the post needs.",
    )

    class Meta:
        model = DutyPost
        fields = ["id", "area", "name", "starts", "ends", "needs", "is_active"]
        read_only_fields = ["id", "area"]


class NewPostSerializer(DutyPostSerializer):
    area = serializers.CharField(help_text="The code of the community or township.")

    class Meta(DutyPostSerializer.Meta):
        read_only_fields = ["id"]
        # DRF's unique-together validator would query DutyPost unscoped (a 500); the service's
        # full_clean refuses a duplicate name with its own message.
        validators = []


class DutyShiftSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    post_name = serializers.CharField(source="post.name", read_only=True)

    class Meta:
        model = DutyShift
        fields = [
            "id",
            "area",
            "post",
            "post_name",
            "worker",
            "worker_name",
            "role",
            "starts_at",
            "ends_at",
            "note",
        ]
        read_only_fields = fields


class NewShiftSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"post": DutyPost}
    post = serializers.PrimaryKeyRelatedField(queryset=DutyPost.objects.none())
    worker = serializers.IntegerField(help_text="The id of an active worker of the post's area.")
    role = serializers.ChoiceField(choices=DutyRole.choices)
    day = serializers.DateField(help_text="The day the post's duty starts.")
    starts_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class SubstituteSerializer(serializers.Serializer):
    worker = serializers.IntegerField(help_text="The id of the worker taking the shift.")
    reason = serializers.CharField(max_length=200)


class SwapSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"other": DutyShift}
    other = serializers.PrimaryKeyRelatedField(queryset=DutyShift.objects.none())
    reason = serializers.CharField(max_length=200)


class CopySerializer(serializers.Serializer):
    area = serializers.CharField(help_text="The code of the community or township.")
    source = serializers.DateField(help_text="The first day of the period copied.")
    target = serializers.DateField(help_text="The first day of the period filled.")
    days = serializers.IntegerField(min_value=1, max_value=31, default=7)


class RepeatSerializer(serializers.Serializer):
    area = serializers.CharField(help_text="The code of the community or township.")
    first = serializers.DateField(help_text="The first day of the week repeated.")
    weeks = serializers.IntegerField(min_value=1, max_value=MAX_REPEAT_WEEKS)


class CopyAnswerSerializer(serializers.Serializer):
    created = DutyShiftSerializer(many=True)
    skipped = serializers.ListField(child=serializers.CharField())


class GapSerializer(serializers.Serializer):
    area = serializers.SerializerMethodField(help_text="The code of the area.")
    post = serializers.SerializerMethodField()
    post_name = serializers.SerializerMethodField()
    role = serializers.CharField(help_text="The duty role missing; blank on a holiday's hours.")
    starts = serializers.DateTimeField()
    ends = serializers.DateTimeField()
    needed = serializers.IntegerField()
    have = serializers.IntegerField()
    hours = serializers.IntegerField()
    holiday = serializers.CharField()

    def get_area(self, gap) -> str:
        return gap.area_path.strip("/").split("/")[-1]

    def get_post(self, gap) -> int | None:
        return gap.post.pk if gap.post else None

    def get_post_name(self, gap) -> str | None:
        return gap.post.name if gap.post else None


class DutyHolidaySerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")

    class Meta:
        model = DutyHoliday
        fields = ["id", "area", "day", "name"]
        read_only_fields = ["id"]
