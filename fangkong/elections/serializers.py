from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fangkong.apibase import ScopedFieldsMixin, uuid_field
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area, Worker
from fangkong.elections import rules, selectors
from fangkong.elections.models import (
    LEGAL_MOST_PROXIES,
    ContingencyItem,
    Election,
    ElectionStaff,
    HealthDeclaration,
    PollingStation,
    ProxyVote,
    Voter,
    VotingSlot,
)


@extend_schema_field({"type": "string", "example": "08:00", "pattern": r"^\d{2}:\d{2}"})
class ClockField(serializers.TimeField):
    """A time of day as 08:00 (JSON Schema's "time" format would ask for a zone offset)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ElectionSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    state = serializers.SerializerMethodField(
        help_text="preparing, open, suspended (the community's risk level is medium or high) "
        "or closed."
    )
    blocked = serializers.SerializerMethodField(help_text="Why it is suspended, if it is.")
    opens_at = ClockField(read_only=True)
    closes_at = ClockField(read_only=True)
    # Blank until the count is recorded: said here, as a read-only field loses `allow_blank`.
    counting_witness = serializers.ChoiceField(
        choices=Election.Witness.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Election
        fields = [
            "id",
            "area",
            "term",
            "voting_day",
            "opens_at",
            "closes_at",
            "slot_minutes",
            "plan",
            "max_proxies",
            "status",
            "state",
            "blocked",
            "opened_at",
            "closed_at",
            "counting_place",
            "counting_limit",
            "counting_headcount",
            "counting_witness",
            "counting_representatives",
            "counting_video",
            "counting_recorded_at",
            "client_uuid",
            "created_at",
        ]
        read_only_fields = fields

    def _flagged(self, election):
        if not hasattr(election, "blocked"):
            rules.flag_blocked([election])
        return election

    def get_state(self, election) -> str:
        return rules.state_of(self._flagged(election))

    def get_blocked(self, election) -> str:
        return self._flagged(election).blocked


class CreateElectionSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The community's code.")
    term = serializers.CharField(max_length=100)
    voting_day = serializers.DateField(validators=[rules.VOTING_DAY])
    opens_at = serializers.TimeField(required=False, default="08:00")
    closes_at = serializers.TimeField(required=False, default="18:00")
    slot_minutes = serializers.IntegerField(min_value=10, max_value=240, default=30)
    max_proxies = serializers.IntegerField(
        min_value=1, max_value=LEGAL_MOST_PROXIES, default=LEGAL_MOST_PROXIES
    )
    plan = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    client_uuid = uuid_field()


class CountingSerializer(serializers.Serializer):
    place = serializers.CharField(max_length=200)
    limit = serializers.IntegerField(min_value=1, max_value=10000)
    headcount = serializers.IntegerField(
        min_value=0, max_value=100000, required=False, allow_null=True, default=None
    )
    witness = serializers.ChoiceField(choices=Election.Witness.choices)
    representatives = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    video = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AllotmentSerializer(serializers.Serializer):
    allotted = serializers.IntegerField()
    left = serializers.IntegerField(help_text="Voters still without a slot.")


class RollSerializer(serializers.Serializer):
    added = serializers.IntegerField()


class ContingencyItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContingencyItem
        fields = ["id", "election", "text", "position", "done", "done_at"]
        read_only_fields = fields


class CreateItemSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"election": Election}

    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.none())
    text = serializers.CharField(max_length=200)


class DoneSerializer(serializers.Serializer):
    done = serializers.BooleanField()


class PollingStationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PollingStation
        fields = ["id", "election", "name", "place", "capacity", "created_at"]
        read_only_fields = fields


class CreateStationSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"election": Election}

    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.none())
    name = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=rules.MOST_AT_A_STATION)


class MakeSlotsSerializer(serializers.Serializer):
    capacity = serializers.IntegerField(min_value=1, max_value=100000)


class SlotsMadeSerializer(serializers.Serializer):
    made = serializers.IntegerField()


class DisinfectionSerializer(serializers.Serializer):
    disinfectant = serializers.CharField(max_length=100)
    disinfected_by = serializers.CharField(max_length=50)
    items = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DisinfectionLoggedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()


class VotingSlotSerializer(serializers.ModelSerializer):
    taken = serializers.IntegerField(read_only=True, help_text="Voters allotted to the slot.")

    class Meta:
        model = VotingSlot
        fields = ["id", "election", "station", "starts_at", "ends_at", "capacity", "taken"]
        read_only_fields = fields


class CreateSlotSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"station": PollingStation}

    station = serializers.PrimaryKeyRelatedField(queryset=PollingStation.objects.none())
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=100000)


class VoterSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="resident.name", read_only=True)
    # Blank for a voter who votes in person (see ElectionSerializer.counting_witness).
    special = serializers.ChoiceField(
        choices=Voter.Special.choices, allow_blank=True, read_only=True
    )
    special_method = serializers.ChoiceField(
        choices=Voter.Method.choices, allow_blank=True, read_only=True
    )
    slip = serializers.SerializerMethodField(
        help_text="The text of the voter's slip, also what an SMS to the voter says."
    )
    # A plain string: a choice field's description would append the labels to the help text,
    # which then is no msgid of the API's catalogue.
    slip_sms = serializers.CharField(
        source="text_state",
        allow_null=True,
        read_only=True,
        help_text="Whether the voter's latest slip by SMS is queued, being sent, sent or "
        "failed; null when none was sent (print it).",
    )

    class Meta:
        model = Voter
        fields = [
            "id",
            "election",
            "resident",
            "name",
            "slot",
            "special",
            "special_method",
            "special_note",
            "slip",
            "slip_sms",
        ]
        read_only_fields = fields

    def get_slip(self, voter) -> str:
        return selectors.slip_text(voter)


class MoveVoterSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"slot": VotingSlot}

    slot = serializers.PrimaryKeyRelatedField(queryset=VotingSlot.objects.none(), allow_null=True)


class SpecialSerializer(serializers.Serializer):
    special = serializers.ChoiceField(choices=Voter.Special.choices, allow_blank=True)
    method = serializers.ChoiceField(
        choices=Voter.Method.choices, allow_blank=True, required=False, default=""
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class HealthDeclarationSerializer(serializers.ModelSerializer):
    person = serializers.CharField(read_only=True)
    # Blank until assessed (see ElectionSerializer.counting_witness).
    decision = serializers.ChoiceField(
        choices=HealthDeclaration.Decision.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = HealthDeclaration
        fields = [
            "id",
            "election",
            "voter",
            "staff",
            "person",
            "declared_on",
            "temperature",
            "symptoms",
            "risk_contact",
            "health_code",
            "abnormal",
            "decision",
            "decision_reason",
            "assessed_at",
            "client_uuid",
            "recorded_at",
        ]
        read_only_fields = fields


class DeclareSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"election": Election, "voter": Voter, "staff": ElectionStaff}

    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.none())
    voter = serializers.PrimaryKeyRelatedField(
        queryset=Voter.objects.none(), required=False, allow_null=True, default=None
    )
    staff = serializers.PrimaryKeyRelatedField(
        queryset=ElectionStaff.objects.none(), required=False, allow_null=True, default=None
    )
    declared_on = serializers.DateField(validators=[rules.DECLARATION_DAY])
    temperature = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=34, max_value=43
    )
    symptoms = serializers.BooleanField(required=False, default=False)
    risk_contact = serializers.BooleanField(required=False, default=False)
    health_code = serializers.ChoiceField(
        choices=HealthDeclaration.Code.choices, required=False, default="green"
    )
    client_uuid = uuid_field()


class AssessSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=HealthDeclaration.Decision.choices)
    reason = serializers.CharField(max_length=300)


class ProxyVoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProxyVote
        fields = ["id", "election", "voter", "proxy", "note", "recorded_at"]
        read_only_fields = fields


class AuthoriseSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"voter": Voter, "proxy": Voter}

    voter = serializers.PrimaryKeyRelatedField(queryset=Voter.objects.none())
    proxy = serializers.PrimaryKeyRelatedField(queryset=Voter.objects.none())
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ElectionStaffSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = ElectionStaff
        fields = ["id", "election", "worker", "name", "duty"]
        read_only_fields = fields


class AddStaffSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"election": Election, "worker": Worker}

    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.none())
    worker = serializers.PrimaryKeyRelatedField(queryset=Worker.objects.none())
    duty = serializers.ChoiceField(choices=ElectionStaff.Duty.choices)


class SendSlipsSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(
        help_text="The device's id of this request: sent again, it answers the first "
        "sending's figures and queues nothing."
    )


class SendRollSlipsSerializer(ScopedFieldsMixin, SendSlipsSerializer):
    scoped_fields = {"station": PollingStation, "slot": VotingSlot}

    station = serializers.PrimaryKeyRelatedField(
        queryset=PollingStation.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Only the voters of this polling station.",
    )
    slot = serializers.PrimaryKeyRelatedField(
        queryset=VotingSlot.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Only the voters of this slot.",
    )


class SlipsSentSerializer(serializers.Serializer):
    queued = serializers.IntegerField(
        help_text="Slips queued as text messages, sent once the request is done."
    )
    unchanged = serializers.IntegerField(
        help_text="Voters whose slip was already queued or sent with the same words."
    )
    without_phone = serializers.IntegerField(
        help_text="Voters without a mobile number: print their slips instead."
    )
    waiting = serializers.IntegerField(help_text="Voters without a slot yet: nothing sent.")
    print_instead = serializers.ListField(
        child=serializers.IntegerField(), help_text="The ids of the voters without a mobile number."
    )
