from django.utils.translation import gettext_lazy as _

from fangkong.reports.registry import Section

SECTION = Section("training", _("Training"), lambda: [], lambda c, d, n: {}, position=80)
