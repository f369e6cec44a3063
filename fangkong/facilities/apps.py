from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "fangkong.facilities"
    verbose_name = _("Community facilities")

    def ready(self):
        from fangkong.checkpoints import entry_checks
        from fangkong.facilities import area_hooks, audit, door  # noqa: F401  (register on import)
        from fangkong.facilities.permissions import GRANTS
        from fangkong.facilities.reporting import SECTION
        from fangkong.permissions import grant
        from fangkong.reports.registry import register

        entry_checks.register(door.check_entry)
        grant(GRANTS)
        register(SECTION)
