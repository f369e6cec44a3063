import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fangkong.verification import services
from tests.world import every

GRID = "350502001001001"
GRID2 = "350502001001002"
OTHER_GRID = "350502002001001"
COMMUNITY = "350502001001"
TOWNSHIP = "350502001000"
COUNTY = "350502000000"
HEADER = "姓名,身份证号,联系电话,协查原因,社区/村"
NEWCOMER_ID = "350502199505051235"
STRANGER_ID = "350502198808084566"  # valid, registered nowhere


def deadline(days=3):
    return timezone.localdate() + datetime.timedelta(days=days)


def csv_file(*rows, header=HEADER, name="协查名单.csv"):
    text = "\n".join([header, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def upload(world, *rows, user="township", area=TOWNSHIP, days=3, name="县指挥部协查", **kwargs):
    return services.upload_list(
        actor=world.users[user],
        area=world.areas[area],
        name=name,
        deadline=deadline(days),
        upload=csv_file(*rows),
        **kwargs,
    )


def tasks_of(vlist):
    from fangkong.verification.models import VerificationTask

    return every(VerificationTask).filter(entries__list=vlist).distinct().order_by("pk")
