"""The API of public notices: the notices of the caller's areas with every version (the
FilterSet of the page), and writing, publishing and withdrawing them through the services the
pages call. A retried create or draft with the same `client_uuid` answers what it made (201
the first time, 200 after); publishing a version already published changes nothing."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from fangkong.apibase import ScopedViewSet, created
from fangkong.notices import selectors, services
from fangkong.notices.filters import NoticeFilter
from fangkong.notices.models import Notice, NoticeVersion
from fangkong.notices.permissions import VIEW, WRITE
from fangkong.notices.serializers import (
    CreateNoticeSerializer,
    DraftSerializer,
    NoticeSerializer,
    NoticeVersionSerializer,
    PublishSerializer,
    WithdrawSerializer,
)


class NoticeViewSet(ScopedViewSet):
    """Public notices of the caller's areas, newest first, each with its versions (the draft
    has no `published_at`). POST writes a new notice's first draft."""

    model = Notice
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter

    def get_queryset(self):
        versions = NoticeVersion.objects.visible_to(self.request.user, VIEW).order_by("-number")
        return (
            selectors.notices(self.request.user)
            .select_related("area")
            .prefetch_related(Prefetch("versions", queryset=versions))
        )

    @extend_schema(
        request=CreateNoticeSerializer, responses={201: NoticeSerializer, 200: NoticeSerializer}
    )
    def create(self, request):
        if not request.user.has_perm(WRITE):
            raise exceptions.PermissionDenied
        data = self.write(CreateNoticeSerializer)
        notice = self.run_service(services.create_notice, **data)
        return self.answer(self.get_queryset().get(pk=notice.pk), created(notice))

    @extend_schema(
        request=DraftSerializer,
        responses={201: NoticeVersionSerializer, 200: NoticeVersionSerializer},
    )
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        """Write the notice's draft (the next version once the last one is published)."""
        notice = self.get_object()
        data = self.write(DraftSerializer)
        draft = self.run_service(services.save_draft, notice=notice, **data)
        return self.answer_version(draft)

    @extend_schema(
        request=PublishSerializer,
        responses={201: NoticeVersionSerializer, 200: NoticeVersionSerializer},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the draft `version` from `publish_at` (now if empty, at most 30 days on)."""
        notice = self.get_object()
        data = self.write(PublishSerializer)
        version = self.run_service(services.publish, notice=notice, **data)
        return self.answer_version(version)

    @extend_schema(request=WithdrawSerializer, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Take the notice off the public page and its feeds."""
        notice = self.get_object()
        data = self.write(WithdrawSerializer)
        self.run_service(services.withdraw, notice=notice, **data)
        return self.answer(self.get_object())

    def answer_version(self, version):
        return Response(NoticeVersionSerializer(version).data, status=created(version))


ROUTES = [("notices", NoticeViewSet, "notice")]
