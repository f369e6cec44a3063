"""The Django admin, for system administrators only.

It works through the unscoped default managers, so only superusers may enter: a staff
flag on an ordinary worker must not open the whole country to them.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "fangkong.admin.SuperuserAdminSite"
