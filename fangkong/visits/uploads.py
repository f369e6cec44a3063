"""A patrol's photo: a JPEG or PNG image of at most `FANGKONG_UPLOAD_MAX_MB`, its name's
extension and its first bytes agreeing (the rule of the plan uploads, images only)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fangkong.response.uploads import SIGNATURES

PHOTO_TYPES = ("jpg", "jpeg", "png")
ACCEPT = ",".join(f".{ext}" for ext in PHOTO_TYPES)


def check_photo(upload, field):
    limit = settings.FANGKONG_UPLOAD_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError({field: _("The file is larger than %(mb)d MB.") % {"mb": limit}})
    extension = upload.name.rpartition(".")[2].lower() if "." in upload.name else ""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension not in PHOTO_TYPES or not head.startswith(SIGNATURES[extension]):
        raise ValidationError({field: _("Upload a photo (.jpg or .png).")})
