from rest_framework import serializers

from fangkong import dates
from fangkong.apibase import ScopedFieldsMixin, uuid_field
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area, Worker
from fangkong.training import coverage as rollup
from fangkong.training.models import Attendance, Training
from fangkong.training.services import HELD_DAY, LONGEST_MINUTES


class TrainingSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    has_materials = serializers.SerializerMethodField()

    class Meta:
        model = Training
        fields = [
            "id",
            "area",
            "kind",
            "category",
            "topic",
            "held_on",
            "trainer",
            "place",
            "minutes",
            "note",
            "has_materials",
            "client_uuid",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_has_materials(self, training) -> bool:
        return bool(training.materials)


class RecordTrainingSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area, "attendees": Worker}

    area = AreaCodeField(
        queryset=Area.objects.none(), help_text="The county, township or community's code."
    )
    kind = serializers.ChoiceField(choices=Training.Kind.choices)
    category = serializers.ChoiceField(choices=Training.Category.choices)
    topic = serializers.CharField(max_length=100)
    held_on = serializers.DateField(validators=[HELD_DAY])
    trainer = serializers.CharField(max_length=50)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    minutes = serializers.IntegerField(
        min_value=1, max_value=LONGEST_MINUTES, required=False, allow_null=True, default=None
    )
    attendees = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.none(),
        many=True,
        required=False,
        default=list,
        help_text="Ids of the workers who attended.",
    )
    materials = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="PDF, Word or an image."
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    client_uuid = uuid_field()


class AttendeesSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"attendees": Worker}

    attendees = serializers.PrimaryKeyRelatedField(
        queryset=Worker.objects.none(), many=True, allow_empty=False
    )


class WorkerSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"worker": Worker}

    worker = serializers.PrimaryKeyRelatedField(queryset=Worker.objects.none())


class MaterialsSerializer(serializers.Serializer):
    materials = serializers.FileField(help_text="PDF, Word or an image.")


class AttendanceSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    worker_name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "training", "worker", "worker_name", "area", "held_on", "passed"]
        read_only_fields = fields


class AssessmentResultSerializer(serializers.Serializer):
    worker = serializers.IntegerField(help_text="The id of an attendee (a worker).")
    passed = serializers.BooleanField(
        allow_null=True, help_text="Passed the assessment; null: not assessed."
    )


class AssessmentSerializer(serializers.Serializer):
    results = AssessmentResultSerializer(many=True, allow_empty=False)


class TrainingCoverageQuery(serializers.Serializer):
    since = serializers.DateField(required=False, validators=[dates.RECORDED_DAY])
    until = serializers.DateField(required=False, validators=[dates.RECORDED_DAY])
    kind = serializers.ChoiceField(choices=Training.Kind.choices, required=False)
    by = serializers.ChoiceField(
        choices=[rollup.BY_ROLE, rollup.BY_AFFILIATION], required=False, default=rollup.BY_ROLE
    )


class WorkerCoverageCellSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="The role kind or affiliation.")
    label = serializers.CharField()
    workers = serializers.IntegerField(help_text="Active workers.")
    marks = serializers.DictField(child=serializers.IntegerField(), help_text="Workers marked.")
    shares = serializers.DictField(
        child=serializers.IntegerField(allow_null=True), help_text="Percent of the workers."
    )


class WorkerCoverageLineSerializer(serializers.Serializer):
    area = serializers.CharField(help_text="The area's code.")
    name = serializers.CharField()
    cells = WorkerCoverageCellSerializer(many=True)


class WorkerCoverageSerializer(serializers.Serializer):
    area = serializers.CharField()
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)
    by = serializers.CharField()
    lines = WorkerCoverageLineSerializer(many=True, help_text="The area first, then each child.")


def coverage_data(found, **extra):
    """A `coverage.Coverage` as the API's answer."""

    def line(entry):
        return {
            "area": entry.area.code,
            "name": entry.area.name,
            "cells": [
                {
                    "group": value,
                    "label": str(label),
                    "workers": entry.total(value).workers,
                    "marks": {m: entry.total(value).marks.get(m, 0) for m in found.marks},
                    "shares": {m: entry.total(value).share(m) for m in found.marks},
                }
                for value, label in found.groups
            ],
        }

    return {
        "area": found.area.area.code,
        "lines": [line(found.area), *(line(child) for child in found.children)],
        **extra,
    }
