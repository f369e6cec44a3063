"""What a plan document or a task's evidence may be: a PDF, a Word document or an image, of
at most `FANGKONG_UPLOAD_MAX_MB`. The name's extension and the file's first bytes must both
say so (a renamed executable is refused)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# extension -> the signatures its files start with
SIGNATURES = {
    "pdf": (b"%PDF",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),  # OLE compound file
    "docx": (b"PK\x03\x04",),  # a zip
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
ACCEPT = ",".join(f".{ext}" for ext in SIGNATURES)


def check_upload(upload, field):
    """Refuse, under `field`, anything but a PDF, Word or image file of the allowed size."""
    limit = settings.FANGKONG_UPLOAD_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError({field: _("The file is larger than %(mb)d MB.") % {"mb": limit}})
    extension = upload.name.rpartition(".")[2].lower() if "." in upload.name else ""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension not in SIGNATURES or not head.startswith(SIGNATURES[extension]):
        raise ValidationError(
            {field: _("Upload a PDF, a Word document (.doc, .docx) or an image (.jpg, .png).")}
        )
