from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and benchmark data; an app only for its command `manage.py load_demo`."""

    name = "fangkong.demo"
    verbose_name = _("Demo data")
