from django.urls import reverse
from rest_framework import serializers

from fangkong.apibase import ScopedFieldsMixin
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area, RoleKind
from fangkong.response.models import (
    PLAN_LEVELS,
    AreaTrait,
    EmergencyResponse,
    Measure,
    MeasureTask,
    PlanDocument,
)
from fangkong.response.response_services import MAX_DEADLINE_HOURS


class MeasureSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "area",
            "area_name",
            "level",
            "title",
            "owner_kind",
            "deadline_hours",
            "needs_evidence",
            "trait",
            "extra",
            "added_at",
        ]
        read_only_fields = fields
        # A measure for every area has no trait: the schema must allow the blank it answers.
        extra_kwargs = {"trait": {"allow_blank": True}}


class PlanMeasureSerializer(MeasureSerializer):
    inherited = serializers.BooleanField(help_text="True: required by an area above.")

    class Meta(MeasureSerializer.Meta):
        fields = [*MeasureSerializer.Meta.fields, "inherited"]
        read_only_fields = fields


class AddMeasureSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The area's code.")
    level = serializers.ChoiceField(choices=PLAN_LEVELS)
    title = serializers.CharField(max_length=200)
    owner_kind = serializers.ChoiceField(choices=RoleKind.choices)
    deadline_hours = serializers.IntegerField(min_value=1, max_value=MAX_DEADLINE_HOURS)
    needs_evidence = serializers.BooleanField(default=False)
    trait = serializers.ChoiceField(
        choices=AreaTrait.Kind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Only for the areas below with this trait (empty: every area).",
    )


class PlanDocumentSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = PlanDocument
        fields = [
            "id",
            "area",
            "kind",
            "version",
            "name",
            "size",
            "note",
            "uploaded_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, document) -> str:
        return reverse("response_document", args=[document.pk])


class ResponsePlanSerializer(serializers.Serializer):
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    measures = PlanMeasureSerializer(many=True)
    added_below = MeasureSerializer(many=True)
    documents = PlanDocumentSerializer(many=True, allow_null=True)


class EmergencyResponseSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    active = serializers.BooleanField(read_only=True)

    class Meta:
        model = EmergencyResponse
        fields = [
            "id",
            "area",
            "area_name",
            "building",
            "level",
            "active",
            "started_at",
            "ended_at",
            "summary",
        ]
        read_only_fields = fields


class MeasureTaskSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    owner_name = serializers.CharField(
        source="owner.name", read_only=True, default=None, allow_null=True
    )
    overdue = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = MeasureTask
        fields = [
            "id",
            "response",
            "area",
            "title",
            "level",
            "extra",
            "owner_kind",
            "owner",
            "owner_name",
            "needs_evidence",
            "due_at",
            "done_at",
            "note",
            "evidence",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, task) -> bool:
        return task.overdue(self.context["now"]) and task.response.ended_at is None

    def get_evidence(self, task) -> str | None:
        return reverse("response_task_evidence", args=[task.pk]) if task.evidence else None


class MeasureTaskDoneSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    evidence = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="PDF, Word or an image."
    )


class MeasureTaskReassignSerializer(serializers.Serializer):
    owner_kind = serializers.ChoiceField(choices=RoleKind.choices)
    owner = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of a worker holding a role in the response's area or below; null: "
        "whoever holds owner_kind there, picked as when the response started.",
    )
    due_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=200)
