"""The token routes of the API: obtain one with a password, list them, revoke one."""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from fangkong.tokens import selectors, services
from fangkong.tokens.models import AuthToken


class FailedAttemptsThrottle(SimpleRateThrottle):
    """Wrong passwords per client address. django-axes locks a username after a few failures
    from one address; this bounds one address trying many usernames. Only failures count."""

    scope = "token_failures"
    rate = "100/hour"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        self.key = self.get_cache_key(request, view)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        return len(self.history) < self.num_requests

    def failed(self):
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class ObtainTokenSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username"), max_length=150)
    password = serializers.CharField(
        label=_("Password"), max_length=4096, trim_whitespace=False, write_only=True
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Shown once; send it as `Token <key>`.")
    expires_at = serializers.DateTimeField(read_only=True)


class TokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text="The token of this very request.")

    class Meta:
        model = AuthToken
        fields = ["id", "hint", "created_at", "expires_at", "last_used_at", "current"]

    def get_current(self, token) -> bool:
        auth = getattr(self.context.get("request"), "auth", None)
        return isinstance(auth, AuthToken) and auth.pk == token.pk


WRONG = _("The username or password is wrong.")


class ObtainTokenView(APIView):
    """A token for an active worker who has replaced the password someone else chose.

    Wrong credentials count towards the lockout of the login page (django-axes)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        request=ObtainTokenSerializer,
        responses={200: IssuedTokenSerializer, 400: OpenApiResponse(description="Refused")},
        tags=["auth"],
    )
    def post(self, request):
        data = ObtainTokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        throttle = FailedAttemptsThrottle()
        if not throttle.allow_request(request, self):
            self.throttled(request, throttle.wait())
        # The Django request: django-axes keeps its lockout state on it.
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            throttle.failed()
            raise exceptions.ValidationError({"non_field_errors": [WRONG]})
        worker = getattr(user, "worker", None)
        if worker is None or not worker.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("This account is deactivated or serves as no worker.")]}
            )
        if worker.must_change_password:
            raise exceptions.ValidationError(
                {
                    "non_field_errors": [
                        _("Log in on the website and replace the password you were given first.")
                    ]
                }
            )
        token = services.issue_token(user=user)
        return Response(
            IssuedTokenSerializer({"token": token.key, "expires_at": token.expires_at}).data
        )


class TokenListView(generics.ListAPIView):
    """The caller's tokens that still work; with `worker`, those of a worker they manage."""

    serializer_class = TokenSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "worker",
                OpenApiTypes.INT,
                description="A worker the caller manages (may change and outranks).",
            )
        ],
        tags=["auth"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema asks without a user
            return AuthToken.objects.none()
        worker_id = self.request.query_params.get("worker")
        if worker_id is None:
            return selectors.tokens_of(self.request.user)
        try:
            worker = selectors.managed_worker(self.request.user, worker_id)
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"worker": error.messages}) from None
        if worker.user is None:
            return AuthToken.objects.none()
        return selectors.tokens_of(worker.user)


class TokenRevokeView(APIView):
    """Revoke one of the caller's tokens, or one of a worker they manage."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def delete(self, request, pk):
        token = selectors.revocable_or_404(request.user, pk)
        reason = (
            AuthToken.Reason.OWNER if token.user_id == request.user.pk else AuthToken.Reason.MANAGER
        )
        services.revoke_token(actor=request.user, token=token, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)
