"""The Django admin's app config: its site (`fangkong.adminsite`) is for superusers only."""

from django.contrib.admin.apps import AdminConfig


class SuperuserAdminConfig(AdminConfig):
    default_site = "fangkong.adminsite.SuperuserAdminSite"
