"""Base classes of the REST API: every viewset scoped like the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, permissions, viewsets


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
    """Lists and lookups go through `visible_to(user)`: a record outside the scope is a 404."""

    model = None
    read_permission = None  # see RolePermission

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        if self.read_permission and not self.request.user.has_perm(self.read_permission):
            return queryset.none()
        return queryset

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
