from django.contrib import admin

from fangkong.quarantine.models import QuarantineRule


@admin.register(QuarantineRule)
class QuarantineRuleAdmin(admin.ModelAdmin):
    """Where a system administrator changes a category's rule (days central, at home, of
    monitoring; test days) when the period's plan changes; quarantines already started keep
    their dates."""

    list_display = ["name", "category", "central_days", "home_days", "monitoring_days", "test_days"]
    list_editable = ["central_days", "home_days", "monitoring_days", "test_days"]
