"""Images and documents attached to a notice: checked by what they are, not their name."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from machi.core.audit_actions import AuditAction
from machi.core.models import Municipality, User
from machi.core.services.audit import audit_record
from machi.notices import permissions
from machi.notices.models import Notice, NoticeFile, NoticeStatus

IMAGE_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
# What Pillow finds inside → the type the site serves it as.
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
ALT_MAX = 300


def _image_type(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            found = image.format or ""
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            {"file": _("This file is not an image (PNG, JPEG, GIF or WebP).")}
        ) from exc
    if found not in IMAGE_TYPES:
        raise ValidationError({"file": _("Use a PNG, JPEG, GIF or WebP image.")})
    return IMAGE_TYPES[found]


@transaction.atomic
def notice_file_add(
    *,
    actor: User | None,
    municipality: Municipality,
    notice: Notice,
    upload: UploadedFile,
    kind: str,
    alt_text: str = "",
) -> NoticeFile:
    """Attach an image (alt text required: what it shows, for people who cannot see it)
    or a PDF to a draft."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk, municipality=municipality)
    if actor is not None:
        permissions.require_write(actor, municipality, notice)
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    if notice.files.count() >= MAX_FILES:
        raise ValidationError({"file": _("A notice has at most %(n)d files.") % {"n": MAX_FILES}})
    data = upload.read()
    alt_text = alt_text.strip()
    if kind == NoticeFile.Kind.IMAGE:
        if len(data) > IMAGE_MAX_BYTES:
            raise ValidationError({"file": _("An image can be at most 5 MB.")})
        content_type = _image_type(data)
        if not alt_text:
            raise ValidationError(
                {"alt_text": _("Describe the image for people who cannot see it.")}
            )
        if len(alt_text) > ALT_MAX:
            raise ValidationError(
                {"alt_text": _("The description has at most %(n)d characters.") % {"n": ALT_MAX}}
            )
    elif kind == NoticeFile.Kind.DOCUMENT:
        if len(data) > DOCUMENT_MAX_BYTES:
            raise ValidationError({"file": _("A document can be at most 10 MB.")})
        if not data.startswith(b"%PDF-"):
            raise ValidationError({"file": _("Attach documents as PDF.")})
        content_type = "application/pdf"
    else:
        raise ValidationError({"kind": _("Choose image or document.")})
    upload.seek(0)
    name = (upload.name or "file").rsplit("/", 1)[-1][:200]
    attached = NoticeFile(
        notice=notice,
        kind=kind,
        name=name,
        content_type=content_type,
        size=len(data),
        alt_text=alt_text if kind == NoticeFile.Kind.IMAGE else "",
    )
    attached.file.save(name, upload, save=False)
    attached.save()
    audit_record(
        action=AuditAction.NOTICE_FILE_ADDED,
        actor=actor,
        municipality=municipality,
        target=notice,
        data={"file": name, "kind": kind},
    )
    return attached


@transaction.atomic
def notice_file_remove(*, actor: User, municipality: Municipality, attached: NoticeFile) -> None:
    notice = Notice.objects.select_for_update().get(
        pk=attached.notice_id, municipality=municipality
    )
    permissions.require_write(actor, municipality, notice)
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    name = attached.name
    attached.file.delete(save=False)
    attached.delete()
    audit_record(
        action=AuditAction.NOTICE_FILE_REMOVED,
        actor=actor,
        municipality=municipality,
        target=notice,
        data={"file": name},
    )
