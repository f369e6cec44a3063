"""The national catalogue of prevention supplies (names and units as the notices use them)."""

from django.db import migrations

ITEMS = [
    ("mask_surgical", "医用外科口罩", "mask", "只"),
    ("mask_n95", "N95口罩", "mask", "只"),
    ("thermometer_ir", "红外额温枪", "thermometer", "支"),
    ("thermometer", "体温计", "thermometer", "支"),
    ("disinfectant_84", "84消毒液", "disinfectant", "瓶"),
    ("alcohol_75", "75%酒精", "disinfectant", "瓶"),
    ("hand_sanitizer", "免洗手消毒液", "disinfectant", "瓶"),
    ("protective_suit", "医用防护服", "protective_clothing", "套"),
    ("isolation_gown", "隔离衣", "protective_clothing", "件"),
    ("gloves", "一次性医用手套", "gloves", "副"),
    ("goggles", "护目镜", "eyewear", "副"),
    ("face_shield", "防护面屏", "eyewear", "个"),
]


def add(apps, schema_editor):
    item = apps.get_model("supplies", "SupplyItem")
    for position, (code, name, category, unit) in enumerate(ITEMS, start=1):
        item.objects.update_or_create(
            code=code,
            defaults={"name": name, "category": category, "unit": unit, "position": position},
        )


def remove(apps, schema_editor):
    apps.get_model("supplies", "SupplyItem").objects.filter(
        code__in=[code for code, *_rest in ITEMS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
