from django.contrib import admin

from fangkong.reports.models import ReportDeadline


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(admin.ModelAdmin):
    """Where a system administrator sets by when each level's report is due; a change
    applies to reports sent from then on (a report sent keeps whether it was late)."""

    list_display = ["level", "days_after", "due_time"]
    list_editable = ["days_after", "due_time"]
