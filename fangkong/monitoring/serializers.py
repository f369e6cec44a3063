from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fangkong import dates, dispositions
from fangkong.apibase import ScopedFieldsMixin, ScopedModelSerializer
from fangkong.areas.models import Worker
from fangkong.monitoring.forms import MOST_REST_NORMAL
from fangkong.monitoring.models import (
    Alert,
    HealthCheck,
    MonitoringCategory,
    MonitoringPlan,
    Symptom,
)
from fangkong.monitoring.services import today
from fangkong.people.models import Resident


class SymptomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Symptom
        fields = ["id", "code", "name"]


class CategorySerializer(serializers.ModelSerializer):
    symptoms = SymptomSerializer(many=True, read_only=True)
    # Declared, not derived: a small integer's range is the database's, and the published
    # schema must be the same on SQLite and PostgreSQL.
    default_days = serializers.IntegerField(read_only=True)
    checks_per_day = serializers.IntegerField(read_only=True, help_text="1 or 2")

    class Meta:
        model = MonitoringCategory
        fields = [
            "id",
            "code",
            "name",
            "default_days",
            "checks_per_day",
            "fever_at",
            "symptoms",
            "is_active",
        ]


class PlanSerializer(ScopedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    last_day = serializers.DateField(read_only=True)
    open_today = serializers.SerializerMethodField()

    class Meta:
        model = MonitoringPlan
        fields = [
            "id",
            "area",
            "resident",
            "resident_name",
            "category",
            "starts_on",
            "ends_on",
            "last_day",
            "worker",
            "source",
            "stopped_on",
            "stop_reason",
            "held_open",
            "open_today",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_open_today(self, plan):
        return plan.is_open_on(today())


class PlanCreateSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"resident": Resident, "worker": Worker}

    resident = serializers.PrimaryKeyRelatedField(queryset=Resident.objects.none())
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=MonitoringCategory.objects.all()
    )
    source = serializers.CharField(max_length=200, help_text=_("Why, and who said so."))
    starts_on = serializers.DateField(
        required=False, validators=[dates.PLAN_START], help_text=_("Today if left out.")
    )
    ends_on = serializers.DateField(
        required=False,
        validators=[dates.PLAN_DAY],
        help_text=_("The category's length from the start if left out."),
    )
    worker = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.none(),
        required=False,
        help_text=_("The household's responsible worker if left out."),
    )


class StopSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    stopped_on = serializers.DateField(
        required=False,
        validators=[dates.PLAN_DAY],
        help_text=_("The first day no longer monitored; today if left out."),
    )


class CheckSerializer(ScopedFieldsMixin, ScopedModelSerializer):
    """A check. Send a `uuid` made on the device: sending it again returns the same check."""

    scoped_fields = {"plan": MonitoringPlan}

    plan = serializers.PrimaryKeyRelatedField(queryset=MonitoringPlan.objects.none())
    uuid = serializers.UUIDField(required=False)
    symptoms = serializers.SlugRelatedField(
        slug_field="code", queryset=Symptom.objects.all(), many=True, required=False
    )
    day = serializers.DateField(
        required=False, validators=[dates.RECORDED_DAY], help_text=_("Today if left out.")
    )
    slot = serializers.IntegerField(
        required=False, min_value=1, max_value=2, help_text=_("The next check due if left out.")
    )

    class Meta:
        model = HealthCheck
        fields = [
            "id",
            "uuid",
            "plan",
            "day",
            "slot",
            "temperature",
            "symptoms",
            "note",
            "abnormal",
            "channel",
            "recorded_at",
        ]
        read_only_fields = ["id", "abnormal", "channel", "recorded_at"]
        extra_kwargs = {
            "temperature": {
                "required": True,
                "help_text": _(
                    "Required in a check sent. Null in a check of 其余均正常: no reading was "
                    "taken, the person was reported normal (no fever, no symptoms)."
                ),
            }
        }


class VisiblePlanField(serializers.PrimaryKeyRelatedField):
    """A plan the caller may view: one outside does not exist, like an id never used."""

    def get_queryset(self):
        user = self.context["request"].user
        return MonitoringPlan.objects.visible_to(user, "monitoring.view_monitoringplan")


class RestNormalItemSerializer(serializers.Serializer):
    plan = VisiblePlanField(queryset=MonitoringPlan.objects.none())
    uuid = serializers.UUIDField(help_text=_("Made on the device, one per plan."))


class RestNormalSerializer(serializers.Serializer):
    """其余均正常: the plans to record as normal today, each with its check's uuid."""

    checks = RestNormalItemSerializer(many=True, allow_empty=False, max_length=MOST_REST_NORMAL)


class AlertSerializer(ScopedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    resident_name = serializers.CharField(source="plan.resident.name", read_only=True)
    temperature = serializers.DecimalField(
        source="check_record.temperature", max_digits=3, decimal_places=1, read_only=True
    )
    day = serializers.DateField(source="check_record.day", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "area",
            "plan",
            "resident_name",
            "check_record",
            "day",
            "temperature",
            "opened_at",
            "disposition",
            "disposition_note",
            "closed_at",
        ]
        read_only_fields = fields
        # Blank while the alert is open: the schema's enum says so.
        extra_kwargs = {"disposition": {"allow_blank": True}}


class DisposeSerializer(dispositions.DisposeSerializer):
    disposition = serializers.ChoiceField(choices=Alert.Disposition.choices)


class AreaDaySerializer(serializers.Serializer):
    area = serializers.CharField(source="area.code")
    name = serializers.CharField(source="area.name")
    plans = serializers.IntegerField()
    due = serializers.IntegerField()
    done = serializers.IntegerField()
    missed = serializers.IntegerField()
    abnormal = serializers.IntegerField()
    open_alerts = serializers.IntegerField()
