from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "fangkong.gatherings"
    verbose_name = _("Gatherings, meetings and sanitation")

    def ready(self):
        from fangkong.gatherings import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.gatherings.permissions import GRANTS
        from fangkong.gatherings.reporting import SECTION
        from fangkong.permissions import grant
        from fangkong.reports.registry import register

        grant(GRANTS)
        register(SECTION)
