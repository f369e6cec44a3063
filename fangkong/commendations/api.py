"""The API of commendations: the list (the FilterSet of the page), proposing a worker
(a retried request with the same client UUID proposes once: 201, then 200), the decision
and the public page's choice; writes through the services the pages call."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.status import HTTP_201_CREATED

from fangkong.apibase import ScopedViewSet
from fangkong.commendations import services
from fangkong.commendations.filters import CommendationFilter
from fangkong.commendations.models import Commendation
from fangkong.commendations.permissions import PROPOSE
from fangkong.commendations.serializers import (
    CommendationPublishSerializer,
    CommendationSerializer,
    DecideSerializer,
    ProposeSerializer,
)


class CommendationViewSet(ScopedViewSet):
    """Commendations of the workers of the caller's areas. POST proposes one; `decide`
    awards or declines it (a supervisor of the awarding level); `publish` puts an awarded
    one on the area's public page or takes it off."""

    model = Commendation
    serializer_class = CommendationSerializer
    filterset_class = CommendationFilter

    def get_queryset(self):
        return super().get_queryset().select_related("area", "worker")

    @extend_schema(
        request=ProposeSerializer,
        responses={201: CommendationSerializer, 200: CommendationSerializer},
    )
    def create(self, request):
        if not request.user.has_perm(PROPOSE):
            raise exceptions.PermissionDenied
        data = self.write(ProposeSerializer)
        made = self.run_service(services.propose, **data)
        code = HTTP_201_CREATED if getattr(made, "created", True) else 200
        return self.answer(self.get_queryset().get(pk=made.pk), code)

    @extend_schema(request=DecideSerializer, responses=CommendationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        commendation = self.get_object()
        data = self.write(DecideSerializer)
        return self.answer(self.run_service(services.decide, commendation=commendation, **data))

    @extend_schema(request=CommendationPublishSerializer, responses=CommendationSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        commendation = self.get_object()
        data = self.write(CommendationPublishSerializer)
        return self.answer(
            self.run_service(services.set_published, commendation=commendation, **data)
        )


ROUTES = [("commendations", CommendationViewSet, "commendation")]
