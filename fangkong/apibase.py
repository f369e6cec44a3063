"""Base classes of the REST API: every viewset scoped like the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import get_language, gettext
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, mixins, permissions, serializers, views, viewsets
from rest_framework.response import Response
from rest_framework.status import HTTP_200_OK, HTTP_201_CREATED

from fangkong.scope import for_uniqueness
from fangkong.web import view_perm


def exception_handler(exc, context):
    """DRF's handler, with a record not found said in the user's language: Django's
    get_object_or_404 words it in English, naming the model ("No Resident matches…")."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return views.exception_handler(exc, context)


def translate_descriptions(result, generator, request, public):
    """The schema's prose in the reader's language (a drf-spectacular postprocessing hook).

    Descriptions come from docstrings and plain help texts, which makemessages cannot
    extract: each is a msgid of fangkong/locale_api, and stays as it is where none is."""

    def translated(node):
        if isinstance(node, dict):
            return {
                key: gettext(value)
                if key in ("description", "summary") and isinstance(value, str) and value
                else translated(value)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [translated(value) for value in node]
        return node

    return translated(result)


UUID_HELP = "The device's id of this request: sent again, it answers what it made."


def uuid_field():
    """The client uuid of a body that records (`fangkong.writes.once`)."""
    return serializers.UUIDField(required=False, allow_null=True, default=None, help_text=UUID_HELP)


def created(record):
    """201 for a record a service made now, 200 for one a retried request made before."""
    return HTTP_201_CREATED if getattr(record, "created", True) else 200


def require(request, perm):
    """An action on no record (registering one) needs `perm` from one of the caller's roles."""
    if not request.user.has_perm(perm):
        raise exceptions.PermissionDenied


class SchemaView(SpectacularAPIView):
    """The schema, generated once per process, language and version: generating it takes a
    second and a half of CPU, and it depends on the code only (every route is in it,
    whoever asks)."""

    generated = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (get_language(), version)
        if key not in self.generated:
            self.generated[key] = super()._get_schema_response(request).data
        return Response(
            data=self.generated[key],
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'
            },
        )


class RolePermission(permissions.IsAuthenticated):
    """A list needs the viewset's `read_permission` from one of the caller's roles (a volunteer
    lists no residents: 403). A record's route answers 404 instead, as for a record outside
    the scope, which must never be told apart from one that exists. What a write may change
    is the services' to decide, record by record."""

    def has_permission(self, request, view):
        perm = getattr(view, "read_permission", None)
        return super().has_permission(request, view) and (
            perm is None
            or request.user.has_perm(perm)
            or (view.lookup_url_kwarg or view.lookup_field) in view.kwargs
        )


class ScopedViewSetMixin:
    """Lists and lookups go through `visible_to(user, read_permission)`: a record outside the
    subtrees of the roles granting it is a 404, whether it exists or not."""

    model = None
    read_permission = None  # the model's view permission unless said otherwise

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None and cls.read_permission is None:
            cls.read_permission = view_perm(cls.model)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.read_permission)

    def run_service(self, service, **kwargs):
        """Call a service; its Django errors become the API's 400 and 403 answers."""
        try:
            return service(actor=self.request.user, **kwargs)
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            raise exceptions.ValidationError(detail) from None
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error) or None) from None


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A scoped viewset for lists, lookups and writes through services: `write` validates a
    body, `answer` serialises the record a service returned."""

    permission_classes = [RolePermission]

    def write(self, serializer_class, *, instance=None, partial=False):
        """The request body, validated by `serializer_class` (bound to `instance` if any)."""
        serializer = serializer_class(
            instance,
            data=self.request.data,
            partial=partial,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def answer(self, record, code=HTTP_200_OK):
        return Response(self.get_serializer(record).data, status=code)


class ScopedFieldsMixin:
    """Related records named in a body are looked up among those the caller may view: one
    outside is "does not exist", the same answer as for an id that was never used."""

    scoped_fields = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        for name, model in self.scoped_fields.items():
            field = self.fields[name]
            field = getattr(field, "child_relation", field)
            field.queryset = (
                model.objects.visible_to(request.user, view_perm(model))
                if request
                else model.objects.none()
            )


class ScopedModelSerializer(serializers.ModelSerializer):
    """A model serializer whose uniqueness checks (the validators DRF derives from unique
    fields and constraints) read the whole table, as the model's own validation does
    (`fangkong.scope.for_uniqueness`): a value taken elsewhere is "taken", whoever asks."""

    def get_validators(self):
        return [opened(validator) for validator in super().get_validators()]

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if "validators" in kwargs:
            kwargs["validators"] = [opened(v) for v in kwargs["validators"]]
        return field_class, kwargs


def opened(validator):
    queryset = getattr(validator, "queryset", None)
    if queryset is not None and hasattr(queryset.model, "scope_path_field"):
        validator.queryset = for_uniqueness(queryset.model)
    return validator
