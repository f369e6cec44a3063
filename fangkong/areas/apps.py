from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "fangkong.areas"
    verbose_name = _("Areas and workers")

    def ready(self):
        from fangkong.areas import audit  # noqa: F401  (registers the audit labels)
        from fangkong.areas.permissions import GRANTS
        from fangkong.areas.registry import MenuLink, register
        from fangkong.permissions import grant

        grant(GRANTS)
        register(
            MenuLink(_("Workers"), "areas.view_worker", "worker_list", order=1, group="workers"),
            MenuLink(_("Import areas"), "areas.add_area", "area_import", order=2, group="system"),
        )
