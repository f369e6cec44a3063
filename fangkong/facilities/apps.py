from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "fangkong.facilities"
    verbose_name = _("Community facilities")

    def ready(self):
        from fangkong.facilities import audit  # noqa: F401  (register on import)
        from fangkong.facilities.permissions import GRANTS
        from fangkong.permissions import grant

        grant(GRANTS)
