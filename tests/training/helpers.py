import datetime

from django.utils import timezone

COUNTY = "350502000000"
TOWNSHIP = "350502001000"
COMMUNITY = "350502001001"
GRID = "350502001001001"
SIBLING = "350502001001002"
OTHER_GRID = "350502002001001"
OTHER_COMMUNITY = "350502002001"
PDF = b"%PDF-1.4\n" + b"\x00" * 16


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)
