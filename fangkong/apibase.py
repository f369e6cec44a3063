"""Base classes of the REST API: every viewset scoped like the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, viewsets


class ScopedViewSetMixin:
    """Lists and lookups go through `visible_to(user)`: a record outside the scope is a 404."""

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)

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
