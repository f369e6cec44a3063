from rest_framework import serializers

from fangkong.apibase import ScopedFieldsMixin, uuid_field
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area
from fangkong.checkpoints.models import Checkpoint
from fangkong.facilities.models import DisinfectionLog, DoorTap, Facility
from fangkong.response.models import RiskLevel


class FacilityStateSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    open = serializers.BooleanField(help_text="Whether it may take visitors now.")
    limit = serializers.IntegerField(help_text="The most it may hold now (0: suspended).")
    reason = serializers.CharField(help_text="Why suspended, or how its capacity is reduced.")
    by_hand = serializers.BooleanField(help_text="Suspended by hand (else by the level).")


class FacilitySerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    state = FacilityStateSerializer(read_only=True)
    inside = serializers.IntegerField(read_only=True, help_text="Inside now, as counted today.")
    full = serializers.BooleanField(read_only=True)
    last_disinfected_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "area",
            "name",
            "kind",
            "place",
            "capacity",
            "low_risk_percent",
            "checkpoint",
            "suspended",
            "suspension_reason",
            "is_active",
            "state",
            "inside",
            "full",
            "last_disinfected_at",
            "client_uuid",
            "created_at",
        ]
        read_only_fields = fields


class RegisterFacilitySerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area, "checkpoint": Checkpoint}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The community or grid's code.")
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Facility.Kind.choices)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(min_value=1, max_value=5000)
    low_risk_percent = serializers.IntegerField(
        min_value=1, max_value=100, required=False, allow_null=True, default=None
    )
    checkpoint = serializers.PrimaryKeyRelatedField(
        queryset=Checkpoint.objects.none(), required=False, allow_null=True, default=None
    )
    client_uuid = uuid_field()


class ChangeFacilitySerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"checkpoint": Checkpoint}

    name = serializers.CharField(max_length=100, required=False)
    kind = serializers.ChoiceField(choices=Facility.Kind.choices, required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    capacity = serializers.IntegerField(min_value=1, max_value=5000, required=False)
    low_risk_percent = serializers.IntegerField(min_value=1, max_value=100, required=False)
    checkpoint = serializers.PrimaryKeyRelatedField(
        queryset=Checkpoint.objects.none(), required=False, allow_null=True
    )
    is_active = serializers.BooleanField(required=False)


class FacilityReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class FacilityTapSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=[(1, "in"), (-1, "out")])
    client_uuid = uuid_field()


class DoorTapSerializer(serializers.ModelSerializer):
    class Meta:
        model = DoorTap
        fields = ["id", "facility", "change", "occupancy_after", "tapped_at", "client_uuid"]
        read_only_fields = fields


class FacilityTapAnswerSerializer(serializers.Serializer):
    tap = DoorTapSerializer()
    facility = FacilitySerializer()


class DisinfectionLogSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = DisinfectionLog
        fields = [
            "id",
            "area",
            "facility",
            "place",
            "items",
            "disinfectant",
            "disinfected_by",
            "disinfected_at",
            "note",
            "subject",
            "client_uuid",
            "recorded_at",
        ]
        read_only_fields = fields


class LogDisinfectionSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area, "facility": Facility}

    area = AreaCodeField(
        queryset=Area.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The community or grid's code (not needed with a facility).",
    )
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.none(), required=False, allow_null=True, default=None
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    items = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    disinfectant = serializers.CharField(max_length=100)
    disinfected_by = serializers.CharField(max_length=50)
    disinfected_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="When; now if not given."
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    subject = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text='The record of another app it belongs to, "app.model:pk".',
    )
    client_uuid = uuid_field()
