"""What the people API reads and writes. Whole ID numbers and phones are written, never read:
reads show them masked, and `POST residents/{id}/reveal/` is the one audited way to see them."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fangkong import dates
from fangkong.apibase import ScopedFieldsMixin, ScopedModelSerializer
from fangkong.areas.models import Building, Worker
from fangkong.people.models import Household, KeyGroup, Resident, Sex
from fangkong.pii import normalise

NUMBER_HELP = _(
    "Leave out (or send the masked form back) to keep the number on record; "
    "an empty string removes it."
)


class WorkerRefSerializer(ScopedModelSerializer):
    class Meta:
        model = Worker
        fields = ["id", "name"]


class HouseholdSerializer(ScopedFieldsMixin, ScopedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    building = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.none(), help_text=_("A building in one of your grids.")
    )
    responsible_worker = WorkerRefSerializer(
        source="assignment.worker", read_only=True, allow_null=True
    )
    scoped_fields = {"building": Building}

    class Meta:
        model = Household
        fields = ["id", "area", "building", "number", "address", "responsible_worker"]
        # The service checks the house number is free in the building, in the user's words.
        validators = []


class AssignHouseholdsSerializer(ScopedFieldsMixin, serializers.Serializer):
    households = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Household.objects.none(), allow_empty=False
    )
    worker = serializers.PrimaryKeyRelatedField(queryset=Worker.objects.none())
    scoped_fields = {"households": Household, "worker": Worker}


class AssignedSerializer(serializers.Serializer):
    assigned = serializers.IntegerField(help_text=_("How many households were assigned."))


class ResidentSerializer(ScopedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    key_groups = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = [
            "id",
            "area",
            "household",
            "name",
            "sex",
            "age",
            "id_number",
            "phone",
            "relation_to_head",
            "residence",
            "status",
            "status_changed_on",
            "status_note",
            "key_groups",
        ]
        read_only_fields = fields
        # Blank for a person without an ID number whose sex nobody wrote: the enum says so.
        extra_kwargs = {"sex": {"allow_blank": True}}

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=KeyGroup.Kind.choices))
    )
    def get_key_groups(self, resident):
        """The kinds of the person's current key-group tags."""
        tags = getattr(resident, "current_tags", None)
        if tags is None:
            request = self.context.get("request")
            if request is None:
                return []
            tags = resident.key_groups.visible_to(request.user, "people.view_keygroup").filter(
                ended_on__isnull=True
            )
        return sorted(tag.kind for tag in tags)


class IdentityNumberField(serializers.CharField):
    """A whole number to store; its masked form as read from the API means "unchanged"."""

    def __init__(self, **kwargs):
        super().__init__(
            write_only=True,
            required=False,
            allow_blank=True,
            max_length=30,
            help_text=NUMBER_HELP,
            **kwargs,
        )


class ResidentWriteSerializer(serializers.Serializer):
    """The fields of a person, as `register_resident` and `update_resident` take them.

    Sex and birth date are taken from a valid ID number; they are written only for a person
    without one. The birth date is never read back (with the masked ID number it would give
    the whole number away); the age is.
    """

    name = serializers.CharField(max_length=50)
    id_number = IdentityNumberField()
    phone = IdentityNumberField()
    relation_to_head = serializers.ChoiceField(choices=Resident.Relation.choices, required=False)
    residence = serializers.ChoiceField(choices=Resident.Residence.choices, required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    birth_date = serializers.DateField(
        required=False, allow_null=True, write_only=True, validators=[dates.BIRTH_DATE]
    )

    def validate_id_number(self, value):
        return self.unmasked(value, "id_number_masked")

    def validate_phone(self, value):
        return self.unmasked(value, "phone_masked")

    def unmasked(self, value, masked):
        """None (keep what is on record) for the masked number read from the API."""
        if (
            self.instance is not None
            and value
            and normalise(value) == getattr(self.instance, masked)
        ):
            return None
        if "*" in value:
            raise serializers.ValidationError(
                _("Send the whole number, or leave the field out to keep the one on record.")
            )
        return value


class ResidentCreateSerializer(ScopedFieldsMixin, ResidentWriteSerializer):
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.none(), help_text=_("A household in one of your grids.")
    )
    scoped_fields = {"household": Household}


class IdentitySerializer(serializers.Serializer):
    id_number = serializers.CharField(help_text=_("The whole ID number (empty if none)."))
    phone = serializers.CharField(help_text=_("The whole phone number (empty if none)."))


class MoveSerializer(ScopedFieldsMixin, serializers.Serializer):
    household = serializers.PrimaryKeyRelatedField(
        queryset=Household.objects.none(), help_text=_("The household the person moves to.")
    )
    scoped_fields = {"household": Household}


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Resident.Status.choices)
    since = serializers.DateField(
        required=False, validators=[dates.LIFE_EVENT], help_text=_("Today if left out.")
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class KeyGroupSerializer(ScopedModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    recorded_by = serializers.CharField(source="recorder_name", read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = KeyGroup
        fields = [
            "id",
            "area",
            "resident",
            "resident_name",
            "kind",
            "found_on",
            "ended_on",
            "current",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_current(self, tag):
        return tag.ended_on is None


class KeyGroupCreateSerializer(ScopedFieldsMixin, serializers.Serializer):
    resident = serializers.PrimaryKeyRelatedField(queryset=Resident.objects.none())
    kind = serializers.ChoiceField(choices=KeyGroup.Kind.choices)
    found_on = serializers.DateField(
        required=False, validators=[dates.LIFE_EVENT], help_text=_("Today if left out.")
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    scoped_fields = {"resident": Resident}


class EndKeyGroupSerializer(serializers.Serializer):
    ended_on = serializers.DateField(
        required=False, validators=[dates.LIFE_EVENT], help_text=_("Today if left out.")
    )
