from rest_framework import serializers

from fangkong.apibase import ScopedFieldsMixin, uuid_field
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area, Worker
from fangkong.gatherings.family_services import REASON_LENGTH
from fangkong.gatherings.meeting_services import LONGEST_MEETING, MOST_AT_A_MEETING
from fangkong.gatherings.models import (
    Gathering,
    Meeting,
    MeetingLimit,
    SanitationCampaign,
    SanitationTask,
)
from fangkong.gatherings.sanitation_services import DUE_DAY, MOST_PLACES
from fangkong.gatherings.services import COMING_DAY, MOST_AT_A_GATHERING
from fangkong.people.models import Household
from fangkong.response.models import RiskLevel


class GatheringSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    phone_masked = serializers.CharField(read_only=True, help_text="The family's phone, masked.")
    advice = serializers.ChoiceField(choices=Gathering.Advice.choices, allow_blank=True)
    advice_level = serializers.ChoiceField(choices=RiskLevel.choices, allow_blank=True)

    class Meta:
        model = Gathering
        fields = [
            "id",
            "area",
            "kind",
            "host",
            "household",
            "held_on",
            "place",
            "expected_headcount",
            "note",
            "status",
            "advice",
            "advice_level",
            "advice_given_at",
            "advice_given_by",
            "actual_headcount",
            "abnormal",
            "follow_up_note",
            "followed_up_at",
            "client_uuid",
            "registered_at",
            "by_family",
            "phone_masked",
            "confirmed_at",
            "dismissal",
        ]
        read_only_fields = fields


class ConfirmReportSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(
        queryset=Area.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="A grid (or the community) of the report's community to place it in.",
    )


class DismissReportSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_LENGTH)


class RegisterGatheringSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area, "household": Household}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The grid or community's code.")
    kind = serializers.ChoiceField(choices=Gathering.Kind.choices)
    host = serializers.CharField(max_length=50)
    held_on = serializers.DateField(validators=[COMING_DAY])
    place = serializers.CharField(max_length=200)
    expected_headcount = serializers.IntegerField(min_value=1, max_value=MOST_AT_A_GATHERING)
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.none(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    client_uuid = uuid_field()


class FollowUpSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c in Gathering.Status.choices if c[0] != Gathering.Status.PLANNED]
    )
    actual_headcount = serializers.IntegerField(
        min_value=1, max_value=MOST_AT_A_GATHERING, required=False, allow_null=True, default=None
    )
    abnormal = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MeetingSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "area",
            "meeting_kind",
            "title",
            "place",
            "starts_at",
            "minutes",
            "headcount",
            "status",
            "level",
            "refusal",
            "client_uuid",
            "registered_at",
        ]
        read_only_fields = fields


class RegisterMeetingSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The grid or community's code.")
    meeting_kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    title = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    minutes = serializers.IntegerField(min_value=1, max_value=LONGEST_MEETING)
    headcount = serializers.IntegerField(min_value=1, max_value=MOST_AT_A_MEETING)
    client_uuid = uuid_field()


class OutcomeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Meeting.Status.HELD, Meeting.Status.CANCELLED])


class MeetingLimitSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = MeetingLimit
        fields = ["id", "area", "level", "allowed", "max_headcount", "max_minutes", "set_at"]
        read_only_fields = fields


class SetLimitSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The county's code.")
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    allowed = serializers.BooleanField()
    max_headcount = serializers.IntegerField(min_value=1, max_value=MOST_AT_A_MEETING)
    max_minutes = serializers.IntegerField(min_value=1, max_value=LONGEST_MEETING)


class SanitationTaskSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    owner_name = serializers.CharField(
        source="owner.name", read_only=True, default=None, allow_null=True
    )
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = SanitationTask
        fields = [
            "id",
            "area",
            "place_kind",
            "place",
            "owner",
            "owner_name",
            "due_on",
            "campaign",
            "note",
            "done_on",
            "done_note",
            "has_photo",
            "client_uuid",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_photo(self, task) -> bool:
        return bool(task.photo)


class CreateTaskSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area, "owner": Worker}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The grid or community's code.")
    place_kind = serializers.ChoiceField(choices=SanitationTask.PlaceKind.choices)
    place = serializers.CharField(max_length=200)
    due_on = serializers.DateField(validators=[DUE_DAY])
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.none(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    client_uuid = uuid_field()


class AssignSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"owner": Worker}

    owner = serializers.PrimaryKeyRelatedField(queryset=Worker.objects.none())


class CompleteSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="A .jpg or .png photo of the place cleaned.")
    done_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SanitationCampaignSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    places = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()), read_only=True
    )

    class Meta:
        model = SanitationCampaign
        fields = ["id", "area", "name", "due_on", "places", "created_at"]
        read_only_fields = fields


class CampaignPlaceSerializer(serializers.Serializer):
    place_kind = serializers.ChoiceField(choices=SanitationTask.PlaceKind.choices)
    place = serializers.CharField(max_length=200)


class StartSanitationCampaignSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(
        queryset=Area.objects.none(), help_text="The county, township or community's code."
    )
    name = serializers.CharField(max_length=100)
    due_on = serializers.DateField(validators=[DUE_DAY])
    places = CampaignPlaceSerializer(many=True, min_length=1, max_length=MOST_PLACES)
