from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from fangkong.audit import registry
from fangkong.audit.models import AuditEvent


class ActionFilter(admin.SimpleListFilter):
    """The registered actions by their labels, not their codes."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return list(registry.actions().items())

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action_label", "target_label", "target_id", "area"]
    list_filter = [ActionFilter]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, event):
        return registry.action_label(event.action)

    @admin.display(description=_("record"), ordering="target_type")
    def target_label(self, event):
        return registry.target_label(event.target_type)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
