from django.utils.translation import gettext_lazy as _

from fangkong.reports.registry import Section

SECTION = Section("vaccination", _("Vaccination"), lambda: [], lambda c, d, n: {}, position=80)
