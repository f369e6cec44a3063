from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from fangkong import dates
from fangkong.quarantine.models import Category, QuarantineRule, QuarantineSite, Room
from fangkong.quarantine.quarantines import Quarantine, TestResult
from fangkong.quarantine.transfers import Transfer, Trip, Vehicle

ID = {"min_value": 1, "max_value": 2**31 - 1}
# The results a recording may give (named in SPECTACULAR_SETTINGS' enum overrides).
RESULTS = [
    (TestResult.Result.NEGATIVE.value, _("Negative")),
    (TestResult.Result.POSITIVE.value, _("Positive")),
]


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuarantineRule
        fields = ["category", "name", "central_days", "home_days", "monitoring_days", "test_days"]
        read_only_fields = fields


class TestSerializer(serializers.ModelSerializer):
    class Meta:
        model = TestResult
        fields = [
            "id",
            "quarantine",
            "day_number",
            "due_on",
            "result",
            "sampled_on",
            "client_uuid",
            "recorded_at",
        ]
        read_only_fields = fields


class QuarantineSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    # Null until the person has a site and a room.
    site_name = serializers.CharField(
        source="site.name", read_only=True, default=None, allow_null=True
    )
    room_number = serializers.CharField(
        source="room.number", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Quarantine
        fields = [
            "id",
            "person",
            "person_name",
            "area",
            "kind",
            "category",
            "source",
            "source_note",
            "status",
            "starts_on",
            "ends_on",
            "site",
            "site_name",
            "room",
            "room_number",
            "batch",
            "care",
            "needs_accessible",
            "transfer",
            "trip",
            "checked_in_at",
            "plan",
            "follows",
            "released_on",
            "end_reason",
        ]
        read_only_fields = fields


# What every start of a quarantine may say (the category's rule gives the rest). Comments,
# not docstrings, on these serializers: a docstring would be the schema's description.
class StartFields(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Quarantine.Kind.choices, required=False, allow_null=True, default=None
    )
    source_note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    starts_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[dates.PLAN_START]
    )
    batch = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    care = serializers.ChoiceField(choices=Quarantine.Care.choices, required=False, default="")
    needs_accessible = serializers.BooleanField(required=False, default=False)


class StartSerializer(StartFields):
    person = serializers.IntegerField(help_text="The id of the traced person.", **ID)
    category = serializers.ChoiceField(choices=Category.choices)
    source = serializers.ChoiceField(
        choices=[c for c in Quarantine.Source.choices if c[0] != Quarantine.Source.RELEASE]
    )


# Started from a verification result: the category and the source follow from it (the
# page's `VerificationStartForm`).
class VerificationStartSerializer(StartFields):
    pass


class PlaceSerializer(serializers.Serializer):
    room = serializers.IntegerField(**ID)


class EndSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class RecordTestSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=RESULTS)
    sampled_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[dates.RECORDED_DAY]
    )
    client_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)


class SiteSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    located_in = serializers.CharField(
        source="located_in.code",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The division code of the community the site stands in.",
    )
    rooms_total = serializers.IntegerField(read_only=True)
    rooms_free = serializers.IntegerField(read_only=True)
    rooms_occupied = serializers.IntegerField(read_only=True)
    rooms_to_disinfect = serializers.IntegerField(read_only=True)
    rooms_held = serializers.IntegerField(read_only=True)

    class Meta:
        model = QuarantineSite
        fields = [
            "id",
            "name",
            "area",
            "address",
            "phone",
            "hold_hours",
            "is_active",
            "located_in",
            "rooms_total",
            "rooms_free",
            "rooms_occupied",
            "rooms_to_disinfect",
            "rooms_held",
        ]
        read_only_fields = fields


class RoomSerializer(serializers.ModelSerializer):
    floor = serializers.IntegerField(source="floor.number", read_only=True)
    current_state = serializers.SerializerMethodField()

    class Meta:
        model = Room
        fields = [
            "id",
            "site",
            "floor",
            "number",
            "capacity",
            "accessible",
            "state",
            "current_state",
            "held_until",
        ]
        read_only_fields = fields

    def get_current_state(self, room) -> str:
        return room.current_state()


class VehicleSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = Vehicle
        fields = ["id", "area", "plate", "driver", "driver_phone", "seats", "is_active"]
        read_only_fields = ["id", "area", "is_active"]


class NewVehicleSerializer(serializers.Serializer):
    area = serializers.CharField(max_length=15, help_text="The code of the county or township.")
    plate = serializers.CharField(max_length=10)
    driver = serializers.CharField(max_length=50)
    driver_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    seats = serializers.IntegerField(min_value=1, max_value=60)


class TripSerializer(serializers.ModelSerializer):
    plate = serializers.CharField(source="vehicle.plate", read_only=True)

    class Meta:
        model = Trip
        fields = ["id", "number", "vehicle", "plate", "departed_at", "arrived_at"]
        read_only_fields = fields


class TransferSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    trips = TripSerializer(many=True, read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "code",
            "area",
            "site",
            "pickup_place",
            "pickup_at",
            "bring",
            "status",
            "notice_published_at",
            "departed_at",
            "arrived_at",
            "trips",
        ]
        read_only_fields = fields


class NewTransferSerializer(serializers.Serializer):
    area = serializers.CharField(max_length=15, help_text="The code of the organising area.")
    site = serializers.IntegerField(**ID)
    pickup_place = serializers.CharField(max_length=200)
    pickup_at = serializers.DateTimeField()
    bring = serializers.CharField(required=False, allow_blank=True, default="")
    quarantines = serializers.ListField(
        child=serializers.IntegerField(**ID), min_length=1, max_length=500
    )


class NewTripSerializer(serializers.Serializer):
    vehicle = serializers.IntegerField(**ID)
    quarantines = serializers.ListField(
        child=serializers.IntegerField(**ID), min_length=1, max_length=60
    )


class PersonToPlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField()
    area = serializers.CharField(source="area.code")


NOT_FOUND = _("No such record.")
