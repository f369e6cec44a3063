"""Tokens in the admin (superusers): read only; revoking goes through the service, audited."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from fangkong.tokens import services
from fangkong.tokens.models import AuthToken

HIDDEN = ["digest", "password_stamp"]  # what would help forge a token, never shown


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ["hint", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_reason"]
    search_fields = ["user__username", "hint"]
    exclude = HIDDEN
    readonly_fields = [f.name for f in AuthToken._meta.fields if f.name not in HIDDEN]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_token(actor=request.user, token=token, reason=AuthToken.Reason.MANAGER)
