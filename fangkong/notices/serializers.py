from django.utils import timezone
from rest_framework import serializers

from fangkong.apibase import ScopedFieldsMixin
from fangkong.areas.api import AreaCodeField
from fangkong.areas.models import Area
from fangkong.notices import selectors
from fangkong.notices.filters import STATUS_CHOICES
from fangkong.notices.models import BODY_LENGTH, TITLE_LENGTH, Notice, NoticeVersion


class NoticeVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = NoticeVersion
        fields = ["number", "title", "body", "change_note", "published_at"]
        # An answer only (writes have their own serializers); read-only, the numbers' range
        # is not the database's either (the schema is the same on SQLite and PostgreSQL).
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    status = serializers.SerializerMethodField()
    authoritative_version = serializers.SerializerMethodField()
    versions = NoticeVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "area",
            "area_name",
            "kind",
            "title",
            "status",
            "published_at",
            "withdrawn_at",
            "created_at",
            "authoritative_version",
            "versions",
        ]

    def get_status(self, notice) -> serializers.ChoiceField(choices=STATUS_CHOICES):
        return selectors.status(notice)

    def get_authoritative_version(self, notice) -> int | None:
        """The number of the version in force: the latest published up to now."""
        now = timezone.now()
        live = [v.number for v in notice.versions.all() if v.published_at and v.published_at <= now]
        return max(live, default=None)


class CreateNoticeSerializer(ScopedFieldsMixin, serializers.Serializer):
    scoped_fields = {"area": Area}

    area = AreaCodeField(queryset=Area.objects.none(), help_text="The community or township.")
    kind = serializers.ChoiceField(choices=Notice.Kind.choices)
    title = serializers.CharField(max_length=TITLE_LENGTH)
    body = serializers.CharField(max_length=BODY_LENGTH)
    client_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)


class DraftSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_LENGTH)
    body = serializers.CharField(max_length=BODY_LENGTH)
    change_note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    client_uuid = serializers.UUIDField(required=False, allow_null=True, default=None)


class PublishSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    publish_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Empty: now."
    )


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
