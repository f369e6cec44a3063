from rest_framework import serializers

from fangkong import dates
from fangkong.apibase import ScopedFieldsMixin
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area
from fangkong.people.models import Household, Resident
from fangkong.visits.models import (
    CareCampaign,
    CarePlan,
    CareVisit,
    Patrol,
    Visit,
    care_group_choices,
)
from fangkong.visits.permissions import VIEW_CARE


class VisitSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "area",
            "household",
            "worker",
            "worker_name",
            "visited_on",
            "kind",
            "outcome",
            "note",
            "client_uuid",
            "recorded_at",
        ]
        read_only_fields = fields


class RecordVisitSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"household": Household}

    household = serializers.PrimaryKeyRelatedField(queryset=Household.objects.none())
    visited_on = serializers.DateField(validators=[dates.RECORDED_DAY])
    kind = serializers.ChoiceField(choices=Visit.Kind.choices, default=Visit.Kind.ROUTINE)
    outcome = serializers.ChoiceField(choices=Visit.Outcome.choices, default=Visit.Outcome.MET)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    client_uuid = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The device's id of this visit: sent again, it answers the visit it made.",
    )


class OverdueHouseholdSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_path", read_only=True)
    building_name = serializers.CharField(source="building.name", read_only=True)
    worker = serializers.IntegerField(source="assignment.worker_id", read_only=True)
    worker_name = serializers.CharField(source="assignment.worker.name", read_only=True)
    last_visited_on = serializers.DateField(
        source="visit_state.last_visited_on", read_only=True, default=None, allow_null=True
    )
    due_on = serializers.DateField(
        source="visit_state.due_on",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="Null: never visited.",
    )

    class Meta:
        model = Household
        fields = [
            "id",
            "number",
            "building",
            "building_name",
            "area",
            "worker",
            "worker_name",
            "last_visited_on",
            "due_on",
        ]
        read_only_fields = fields


class PatrolSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Patrol
        fields = [
            "id",
            "area",
            "worker",
            "worker_name",
            "started_at",
            "ended_at",
            "places",
            "findings",
            "has_photo",
            "client_uuid",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_has_photo(self, patrol) -> bool:
        return bool(patrol.photo)


class RecordPatrolSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The grid or community's code.")
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()
    places = serializers.CharField(max_length=500)
    findings = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    photo = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="A .jpg or .png photo."
    )
    client_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)


class CarePlanSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area_path", read_only=True)
    resident_name = serializers.CharField(source="resident.name", read_only=True)

    class Meta:
        model = CarePlan
        fields = [
            "id",
            "area",
            "resident",
            "resident_name",
            "group",
            "every_days",
            "starts_on",
            "last_visited_on",
            "due_on",
        ]
        read_only_fields = fields


class CareVisitSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = CareVisit
        fields = [
            "id",
            "area",
            "resident",
            "worker",
            "worker_name",
            "visited_on",
            "kind",
            "note",
            "campaign",
            "client_uuid",
            "recorded_at",
        ]
        read_only_fields = fields


class RecordCareVisitSerializer(ScopedFieldsMixin, serializers.Serializer):
    resident = serializers.PrimaryKeyRelatedField(queryset=Resident.objects.none())
    visited_on = serializers.DateField(validators=[dates.RECORDED_DAY])
    kind = serializers.ChoiceField(choices=CareVisit.Kind.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    client_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request:
            self.fields["resident"].queryset = Resident.objects.visible_to(request.user, VIEW_CARE)


class CampaignSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    groups = serializers.ListField(child=serializers.ChoiceField(choices=care_group_choices()))

    class Meta:
        model = CareCampaign
        fields = ["id", "area", "name", "groups", "starts_on", "ends_on", "created_at"]
        read_only_fields = fields


class StartCampaignSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(queryset=Area.objects.none())
    name = serializers.CharField(max_length=100)
    groups = serializers.ListField(
        child=serializers.ChoiceField(choices=care_group_choices()), min_length=1
    )
    starts_on = serializers.DateField(validators=[dates.PLAN_START])
    ends_on = serializers.DateField(validators=[dates.PLAN_DAY])


class CoverageSerializer(serializers.Serializer):
    area = serializers.CharField()
    name = serializers.CharField()
    households = serializers.IntegerField(help_text="Households with a responsible worker.")
    covered = serializers.IntegerField(help_text="Of them, visited within their cycle.")


class GroupCoverageSerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=care_group_choices())
    plans = serializers.IntegerField()
    on_time = serializers.IntegerField(help_text="Plans whose next visit is not yet missed.")


class AreaCoverageSerializer(CoverageSerializer):
    cycle_days = serializers.IntegerField(allow_null=True)
    children = CoverageSerializer(many=True)
    care = GroupCoverageSerializer(many=True)
