from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from fangkong.checkpoints import selectors
from fangkong.checkpoints.models import Checkpoint, GateAlert, HealthCode, Passage
from fangkong.dispositions import DisposeSerializer

MAX_BATCH = 500
# What the batch answers for each passage (named in SPECTACULAR_SETTINGS' enum overrides).
BATCH_STATUSES = [
    ("created", _("Recorded")),
    ("existing", _("Already recorded")),
    ("refused", _("Refused")),
]


class CheckpointSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Checkpoint
        fields = [
            "id",
            "name",
            "kind",
            "area",
            "area_name",
            "building",
            "place",
            "hours",
            "mode",
            "mode_since",
            "is_active",
        ]
        read_only_fields = fields


class ModeSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=Checkpoint.Mode.choices)


class PersonFoundSerializer(serializers.Serializer):
    """What the gate may know of a resident: a name to tell them apart, nothing more."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number_masked = serializers.CharField()
    household = serializers.SerializerMethodField()

    def get_household(self, resident) -> str:
        return selectors.household_label(resident.household)


class VisitorSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    household = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The id of the household visited."
    )


class RecordPassageSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(
        help_text="Made by the device: a passage sent again with it is recorded once."
    )
    checkpoint = serializers.IntegerField()
    direction = serializers.ChoiceField(choices=Passage.Direction.choices)
    temperature = serializers.DecimalField(max_digits=4, decimal_places=1)
    health_code = serializers.ChoiceField(choices=HealthCode.choices, default=HealthCode.GREEN)
    resident = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A resident of the community."
    )
    visitor = VisitorSerializer(required=False, allow_null=True, default=None)
    plate = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    recorded_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When it happened on the device (not in the future, at most 7 days ago).",
    )
    pass_code = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The code of the pass shown, under closed management: an exit counts "
        "against its quota, a return closes the exit.",
    )


class BatchSerializer(serializers.Serializer):
    passages = RecordPassageSerializer(many=True, max_length=MAX_BATCH, allow_empty=False)


class BatchResultSerializer(serializers.Serializer):
    client_uuid = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=BATCH_STATUSES)
    id = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField(allow_null=True)


class BatchAnswerSerializer(serializers.Serializer):
    results = BatchResultSerializer(many=True)


class AlertBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = GateAlert
        fields = ["id", "reasons", "closed_at"]


class PassageSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(read_only=True)
    visitor_id_number = serializers.CharField(source="visitor_id_masked", read_only=True)
    alert = serializers.SerializerMethodField()

    class Meta:
        model = Passage
        fields = [
            "id",
            "client_uuid",
            "checkpoint",
            "direction",
            "resident",
            "person_name",
            "visitor_id_number",
            "reason",
            "visited_household",
            "temperature",
            "health_code",
            "code_source",
            "plate",
            "recorded_at",
            "received_at",
            "alert",
        ]
        read_only_fields = fields

    def get_alert(self, passage) -> AlertBriefSerializer(allow_null=True):
        alert = getattr(passage, "alert", None)
        return AlertBriefSerializer(alert).data if alert else None


class GateAlertSerializer(serializers.ModelSerializer):
    passage = PassageSerializer(read_only=True)
    worker_name = serializers.CharField(
        source="worker.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = GateAlert
        fields = [
            "id",
            "reasons",
            "passage",
            "worker",
            "worker_name",
            "opened_at",
            "disposition",
            "disposition_note",
            "closed_at",
        ]
        read_only_fields = fields
        # An open alert has no disposition yet: the schema must allow the blank it answers.
        extra_kwargs = {"disposition": {"allow_blank": True}}


class GateDisposeSerializer(DisposeSerializer):
    disposition = serializers.ChoiceField(choices=GateAlert.Disposition.choices)
