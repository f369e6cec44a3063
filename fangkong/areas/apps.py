from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "fangkong.areas"
    verbose_name = _("Areas and workers")

    def ready(self):
        from fangkong.areas import audit  # noqa: F401  (registers the audit labels)
        from fangkong.areas.permissions import GRANTS
        from fangkong.permissions import grant

        grant(GRANTS)
