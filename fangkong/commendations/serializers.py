from rest_framework import serializers

from fangkong import dates
from fangkong.apibase import UUID_HELP, ScopedFieldsMixin
from fangkong.areas.models import Worker
from fangkong.commendations.models import AwardLevel, Commendation


class CommendationSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = Commendation
        fields = [
            "id",
            "area",
            "worker",
            "worker_name",
            "title",
            "reason",
            "level",
            "status",
            "awarded_on",
            "awarded_by",
            "doc_number",
            "decision_note",
            "published",
            "published_at",
            "client_uuid",
            "proposed_at",
            "decided_at",
        ]
        read_only_fields = fields


class ProposeSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"worker": Worker}

    worker = serializers.PrimaryKeyRelatedField(queryset=Worker.objects.none())
    title = serializers.CharField(max_length=100)
    reason = serializers.CharField(max_length=2000)
    level = serializers.ChoiceField(choices=AwardLevel.choices)
    client_uuid = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text=UUID_HELP
    )


class DecideSerializer(serializers.Serializer):
    award = serializers.BooleanField()
    awarded_on = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[dates.RECORDED_DAY]
    )
    awarded_by = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    doc_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CommendationPublishSerializer(serializers.Serializer):
    published = serializers.BooleanField()
