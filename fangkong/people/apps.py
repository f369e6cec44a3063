from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "fangkong.people"
    verbose_name = _("People registry")

    def ready(self):
        from fangkong.people import area_hooks, audit  # noqa: F401  (register on import)
        from fangkong.people.permissions import GRANTS
        from fangkong.permissions import grant

        grant(GRANTS)
