from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from fangkong import dates
from fangkong.apibase import ScopedFieldsMixin
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area, Building
from fangkong.response.models import AreaRisk, AreaTrait, RiskLevel, RiskLevelChange
from fangkong.response.selectors import countdown


class PlaceFields(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    building_name = serializers.CharField(
        source="building.name", read_only=True, default=None, allow_null=True
    )


class CountdownSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=RiskLevel.choices, help_text="The level it may step down to."
    )
    needed = serializers.IntegerField(help_text="Days without a case the step down needs.")
    passed = serializers.IntegerField(help_text="Days since the last case (or step down).")
    ready = serializers.BooleanField(help_text="True: the step down waits for a supervisor.")


class RiskLevelSerializer(PlaceFields):
    countdown = serializers.SerializerMethodField()

    class Meta:
        model = AreaRisk
        fields = [
            "area",
            "area_name",
            "building",
            "building_name",
            "level",
            "since",
            "doc_number",
            "last_case_on",
            "countdown",
        ]
        read_only_fields = fields

    def get_countdown(self, risk) -> CountdownSerializer(allow_null=True):
        state = countdown(risk)
        return CountdownSerializer(state).data if state else None


class ChangeSerializer(PlaceFields):
    set_by = serializers.CharField(
        source="set_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = RiskLevelChange
        fields = [
            "id",
            "area",
            "area_name",
            "building",
            "building_name",
            "level",
            "effective_on",
            "reason",
            "doc_number",
            "last_case_on",
            "set_by",
            "set_at",
            "client_uuid",
        ]
        read_only_fields = fields


class SetLevelSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area, "building": Building}

    area = AreaCodeField(
        queryset=Area.objects.none(),
        required=False,
        allow_null=True,
        help_text="The area's code (or `building`).",
    )
    building = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.none(),
        required=False,
        allow_null=True,
        help_text="A building's id (or `area`).",
    )
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    effective_on = serializers.DateField(validators=[dates.RECORDED_DAY])
    reason = serializers.CharField(max_length=500)
    doc_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    last_case_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[dates.RECORDED_DAY]
    )
    client_uuid = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The client's id of this change: sent again, it answers the change it made.",
    )
    summary = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Back to low: the summary the active emergency response ends with.",
    )

    def validate(self, data):
        if bool(data.get("area")) == bool(data.get("building")):
            raise serializers.ValidationError(_("Name either an area or a building."))
        data["place"] = data.pop("building", None) or data.pop("area")
        data.pop("area", None)
        return data


class EffectiveSerializer(serializers.Serializer):
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    effective_level = serializers.ChoiceField(
        choices=RiskLevel.choices,
        source="effective.level",
        help_text="The highest of its own and its ancestors'.",
    )
    set_on = serializers.CharField(
        source="effective.source.area.code",
        default=None,
        allow_null=True,
        help_text="The code of the area whose level makes it (null: low, nothing set).",
    )
    own = RiskLevelSerializer(allow_null=True)
    traits = serializers.ListField(child=serializers.ChoiceField(choices=AreaTrait.Kind.choices))
