from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "fangkong.notices"
    verbose_name = _("Public notices")

    def ready(self):
        from fangkong.notices import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.notices.permissions import GRANTS
        from fangkong.notices.reporting import SECTION
        from fangkong.permissions import grant
        from fangkong.reports.registry import register

        grant(GRANTS)
        register(SECTION)
