"""The admin is for system administrators (superusers); it uses the unscoped default managers."""

from django.contrib import admin

from fangkong.areas.models import Area, Building, Role, Worker


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        # Code and parent make every descendant's path; they are not changed in place.
        return ["code", "parent"] if obj else []


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["name", "area__name"]
    raw_id_fields = ["area", "responsible_worker"]


class RoleInline(admin.TabularInline):
    model = Role
    raw_id_fields = ["area"]
    exclude = ["granted_by"]
    extra = 0


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "area", "is_active"]
    list_filter = ["affiliation", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["area", "user"]
    exclude = ["phone"]
    inlines = [RoleInline]
