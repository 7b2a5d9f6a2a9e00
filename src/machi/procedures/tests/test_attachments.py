"""Attaching files (添付書類) to the `photo` procedure through the page, like a resident would.

Files are built in each test: pictures with Pillow, PDFs with pypdf. Only PDF, JPEG and PNG
are accepted, judged by their bytes; photos lose their location; refused files leave no
trace; the stored file name says nothing about the resident.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader, PdfWriter

from machi.procedures.attachments import (
    JPEG,
    MAX_EDGE,
    PDF,
    PNG,
    FileRefused,
    check_upload,
    safe_name,
    sniff,
)
from machi.procedures.models import Attachment, Draft, Submission
from machi.testing.applications import (
    Applying,
    Catalog,
    error_summary,
    make_resident,
    named,
    signed_in,
    start,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db

LABEL = "写真または書類"
MEGABYTE = 1024 * 1024
GPS_IFD = 0x8825


# --- Files, built for each test ---


def png_bytes(size: tuple[int, int] = (40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (40, 20), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 60, 30)).save(out, format="JPEG", **save)
    return out.getvalue()


def located_exif() -> Image.Exif:
    """EXIF as a phone writes it: the camera, and where the photo was taken (亀山城)."""
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"  # Make
    exif[0x0110] = "Hanako's phone"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (34.0, 51.0, 21.0)
    gps[3] = "E"
    gps[4] = (136.0, 27.0, 5.0)
    return exif


def located_jpeg_bytes() -> bytes:
    return jpeg_bytes(exif=located_exif())


def pdf_bytes(padding: int = 0) -> bytes:
    """A one-page PDF; ``padding`` bytes of random text in its metadata make it bigger."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_metadata({"/Keywords": os.urandom(padding // 2).hex()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 0, 0)).save(out, format="GIF")
    return out.getvalue()


TEXT_AS_PDF = "これはPDFではありません。\n請求書の下書き\n".encode()
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
BROKEN_JPEG = b"\xff\xd8\xff\xe0" + b"not really a picture" * 20


# --- Applying ---


@pytest.fixture
def applying(catalog: Catalog) -> Applying:
    user = make_resident(catalog.city)
    client = signed_in(user)
    return Applying(user, client, start(client, "photo"))


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def summary_for_files(response: Any) -> list[str]:
    return [p for p in error_summary(response) if p.startswith(f"{LABEL}:")]


# --- Accepted files ---


@pytest.mark.parametrize(
    ("content", "name", "browser_type", "expected_type", "shown_name"),
    [
        (pdf_bytes(), "住民票.pdf", "application/pdf", PDF, "住民票.pdf"),
        # The browser's content type and the name say otherwise; the bytes decide.
        (jpeg_bytes(), "IMG_0001.png", "image/png", JPEG, "IMG_0001.jpg"),
        (png_bytes(), "scan", "application/octet-stream", PNG, "scan.png"),
        (pdf_bytes(), "申請書.JPG", "image/jpeg", PDF, "申請書.pdf"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted_by_their_content(
    applying: Applying,
    content: bytes,
    name: str,
    browser_type: str,
    expected_type: str,
    shown_name: str,
) -> None:
    response = upload(applying, named(name, content, browser_type))
    assert response.status_code == 302, error_summary(response)
    attachment = Attachment.objects.get()
    assert attachment.content_type == expected_type
    assert attachment.name == shown_name
    assert applying.draft.answers["files"] == [str(attachment.pk)]
    assert applying.draft.answers["note"] == "庭の木の写真です"
    # The check page lists the file by the name the resident knows.
    check = applying.client.get(f"{applying.base}/check/")
    assert shown_name in check.content.decode()


def test_photo_loses_its_location_and_is_still_a_picture(applying: Applying) -> None:
    original = located_jpeg_bytes()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the test photo does carry a location

    response = upload(applying, named("IMG_2041.JPG", original, "image/jpeg"))
    assert response.status_code == 302, error_summary(response)

    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as stored:
        content = stored.read()
    assert b"Hanako's phone" not in content and b"ExampleCam" not in content
    with Image.open(io.BytesIO(content)) as picture:
        exif = picture.getexif()
        assert GPS_IFD not in exif
        assert not exif.get_ifd(GPS_IFD)
        assert 0x0110 not in exif and 0x010F not in exif
        assert picture.format == "JPEG"
        assert picture.size == (40, 20)
        picture.load()  # decodes: still a valid picture
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()


def test_sideways_photo_is_stored_upright_without_the_orientation_tag(applying: Applying) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    response = upload(applying, named("sideways.jpg", jpeg_bytes((40, 20), exif=exif)))
    assert response.status_code == 302, error_summary(response)
    with Attachment.objects.get().file.open("rb") as stored, Image.open(stored) as picture:
        assert picture.size == (20, 40)
        assert 0x0112 not in picture.getexif()


# --- Refused files leave nothing behind ---


@pytest.mark.parametrize(
    ("name", "content", "browser_type"),
    [
        pytest.param("animation.gif", gif_bytes(), "image/gif", id="gif-wrong-type"),
        pytest.param("申請書.pdf", TEXT_AS_PDF, "application/pdf", id="text-renamed-pdf"),
        pytest.param("photo.jpg", EXECUTABLE, "image/jpeg", id="executable-renamed-jpg"),
        pytest.param("broken.jpg", BROKEN_JPEG, "image/jpeg", id="broken-jpeg"),
        pytest.param("empty.pdf", b"", "application/pdf", id="empty"),
        pytest.param("locked.pdf", encrypted_pdf_bytes(), "application/pdf", id="encrypted-pdf"),
        pytest.param(
            "big.pdf", pdf_bytes(padding=int(1.5 * MEGABYTE)), "application/pdf", id="oversize"
        ),
    ],
)
def test_refused_file_is_named_in_the_error_summary_and_nothing_is_stored(
    applying: Applying, name: str, content: bytes, browser_type: str
) -> None:
    first = upload(applying, named("最初.png", png_bytes(), "image/png"), note="最初の内容")
    assert first.status_code == 302
    kept = Attachment.objects.get()
    answers_before = applying.draft.answers
    files_before = stored_files()
    assert len(files_before) == 1

    response = upload(applying, named(name, content, browser_type), note="変えた内容")

    assert response.status_code == 400
    problems = summary_for_files(response)
    assert len(problems) == 1, error_summary(response)
    assert len(problems[0]) > len(f"{LABEL}: ")  # the message says what to do
    assert 'href="#f-files"' in response.content.decode()
    assert list(Attachment.objects.all()) == [kept]
    assert stored_files() == files_before
    assert applying.draft.answers == answers_before
    assert applying.draft.answers["note"] == "最初の内容"


def test_refused_first_file_stores_nothing_at_all(applying: Applying) -> None:
    answers_before = applying.draft.answers
    response = upload(applying, named("memo.pdf", TEXT_AS_PDF, "application/pdf"))
    assert response.status_code == 400
    assert summary_for_files(response)
    assert not Attachment.objects.exists()
    assert stored_files() == []
    assert applying.draft.answers == answers_before
    assert "docs" not in applying.draft.completed_steps


def test_a_good_file_sent_with_a_bad_one_is_not_stored_either(applying: Applying) -> None:
    response = upload(
        applying,
        named("ok.png", png_bytes(), "image/png"),
        named("bad.jpg", EXECUTABLE, "image/jpeg"),
    )
    assert response.status_code == 400
    assert summary_for_files(response)
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_a_third_file_is_refused(applying: Applying) -> None:
    two = upload(
        applying,
        named("one.png", png_bytes(), "image/png"),
        named("two.jpg", jpeg_bytes(), "image/jpeg"),
    )
    assert two.status_code == 302, error_summary(two)
    assert Attachment.objects.count() == 2
    # The page no longer offers another file input …
    page = applying.client.get(f"{applying.base}/steps/docs/").content.decode()
    assert 'type="file"' not in page
    assert "one.png" in page and "two.jpg" in page
    # … and a third file sent anyway is refused.
    third = upload(applying, named("three.pdf", pdf_bytes(), "application/pdf"))
    assert third.status_code == 400
    assert summary_for_files(third)
    assert Attachment.objects.count() == 2
    assert len(stored_files()) == 2
    assert len(applying.draft.answers["files"]) == 2


def test_three_files_at_once_are_refused(applying: Applying) -> None:
    response = upload(
        applying,
        named("one.png", png_bytes(), "image/png"),
        named("two.png", png_bytes(), "image/png"),
        named("three.png", png_bytes(), "image/png"),
    )
    assert response.status_code == 400
    assert summary_for_files(response)
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_all_files_of_a_draft_together_stay_under_the_total_limit(
    applying: Applying, settings: Any
) -> None:
    settings.MACHI_UPLOAD_TOTAL_MB = 1
    part = int(0.6 * MEGABYTE)
    first = upload(applying, named("a.pdf", pdf_bytes(padding=part), "application/pdf"))
    assert first.status_code == 302, error_summary(first)

    second = upload(applying, named("b.pdf", pdf_bytes(padding=part), "application/pdf"))
    assert second.status_code == 400
    assert summary_for_files(second)
    assert "1 MB" in summary_for_files(second)[0]
    assert [a.name for a in Attachment.objects.all()] == ["a.pdf"]
    assert len(stored_files()) == 1

    # Within the limit, a second file is fine.
    small = upload(applying, named("c.png", png_bytes(), "image/png"))
    assert small.status_code == 302, error_summary(small)
    assert sorted(a.name for a in Attachment.objects.all()) == ["a.pdf", "c.png"]


def test_two_files_sent_together_over_the_total_limit_are_refused(
    applying: Applying, settings: Any
) -> None:
    settings.MACHI_UPLOAD_TOTAL_MB = 1
    part = int(0.6 * MEGABYTE)
    response = upload(
        applying,
        named("a.pdf", pdf_bytes(padding=part), "application/pdf"),
        named("b.pdf", pdf_bytes(padding=part), "application/pdf"),
    )
    assert response.status_code == 400
    assert summary_for_files(response)
    assert not Attachment.objects.exists()
    assert stored_files() == []


# --- Where and how files are stored ---


def test_stored_file_name_says_nothing_about_the_resident(
    applying: Applying, catalog: Catalog
) -> None:
    name = "亀山花子_住民票_hanako-secret.pdf"
    response = upload(applying, named(name, pdf_bytes(), "application/pdf"))
    assert response.status_code == 302, error_summary(response)
    attachment = Attachment.objects.get()
    assert attachment.name == name  # shown to the resident and staff as they named it
    path = attachment.file.name
    for part in ("亀山", "花子", "住民票", "hanako", "secret"):
        assert part not in path
    assert path.startswith(f"attachments/{catalog.city.pk}/")
    assert path.endswith(f"{attachment.pk}.pdf")
    (on_disk,) = stored_files()
    assert on_disk.name == f"{attachment.pk}.pdf"
    assert "hanako" not in str(on_disk) and "花子" not in str(on_disk)


def test_file_is_stored_through_default_storage_under_media_root(applying: Applying) -> None:
    content = pdf_bytes()
    response = upload(applying, named("a.pdf", content, "application/pdf"))
    assert response.status_code == 302, error_summary(response)
    attachment = Attachment.objects.get()
    assert default_storage.exists(attachment.file.name)
    assert attachment.file.storage.location == default_storage.location
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert Path(attachment.file.path).resolve().is_relative_to(media_root)
    with default_storage.open(attachment.file.name, "rb") as stored:
        assert stored.read() == content  # PDFs are kept as sent
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)


def test_removing_a_file_deletes_the_row_and_the_file(
    applying: Applying, django_capture_on_commit_callbacks: Any
) -> None:
    response = upload(
        applying,
        named("keep.png", png_bytes(), "image/png"),
        named("drop.pdf", pdf_bytes(), "application/pdf"),
    )
    assert response.status_code == 302, error_summary(response)
    drop = Attachment.objects.get(name="drop.pdf")
    keep = Attachment.objects.get(name="keep.png")
    drop_path = Path(drop.file.path)
    assert drop_path.exists()
    url = reverse(
        "procedures:attachment_remove",
        kwargs={"draft_id": applying.draft.pk, "attachment_id": drop.pk},
    )

    with django_capture_on_commit_callbacks(execute=True):
        removed = applying.client.post(url, {"step": "docs"})

    assert removed.status_code == 302
    assert removed["Location"].endswith("/steps/docs/")
    assert list(Attachment.objects.all()) == [keep]
    assert not drop_path.exists()
    assert stored_files() == [Path(keep.file.path)]
    page = applying.client.get(removed["Location"]).content.decode()
    assert "keep.png" in page and "drop.pdf" not in page


def test_deleting_the_draft_deletes_its_files(
    applying: Applying, django_capture_on_commit_callbacks: Any
) -> None:
    upload(applying, named("a.png", png_bytes(), "image/png"))
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = applying.client.post(f"{applying.base}/delete/")
    assert response.status_code == 302
    assert not Draft.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_expired_drafts_are_purged_with_their_files(
    applying: Applying, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import timezone

    from machi.procedures.services.drafts import drafts_purge
    from machi.procedures.tokens import draft_retention as retention

    upload(applying, named("a.png", png_bytes(), "image/png"))
    with django_capture_on_commit_callbacks(execute=True):
        assert drafts_purge(now=timezone.now() + retention() / 2) == 0
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert drafts_purge(now=timezone.now() + retention() * 2) == 1
    assert not Attachment.objects.exists()
    assert stored_files() == []


def _remove(applying: Applying, attachment: Attachment, capture: Any) -> Any:
    url = reverse(
        "procedures:attachment_remove",
        kwargs={"draft_id": applying.draft.pk, "attachment_id": attachment.pk},
    )
    with capture(execute=True):
        return applying.client.post(url, {"step": "docs"})


def test_after_removing_a_file_the_application_can_still_be_submitted(
    applying: Applying, django_capture_on_commit_callbacks: Any
) -> None:
    upload(
        applying,
        named("keep.png", png_bytes(), "image/png"),
        named("drop.pdf", pdf_bytes(), "application/pdf"),
    )
    keep = Attachment.objects.get(name="keep.png")
    _remove(applying, Attachment.objects.get(name="drop.pdf"), django_capture_on_commit_callbacks)
    assert applying.draft.answers["files"] == [str(keep.pk)]
    done = submit(applying.client, applying.base)
    assert done.status_code == 302, error_summary(done)
    submission = Submission.objects.get()
    assert submission.answers["files"] == [str(keep.pk)]


def test_after_removing_the_only_file_the_check_page_asks_for_one(
    applying: Applying, django_capture_on_commit_callbacks: Any
) -> None:
    upload(applying, named("only.png", png_bytes(), "image/png"))
    _remove(applying, Attachment.objects.get(), django_capture_on_commit_callbacks)
    assert "files" not in applying.draft.answers
    response = submit(applying.client, applying.base)
    assert response.status_code == 400
    assert any(p.startswith(f"{LABEL}:") for p in error_summary(response))
    assert not Submission.objects.exists()


def test_someone_else_cannot_remove_a_file(
    applying: Applying, catalog: Catalog, django_capture_on_commit_callbacks: Any
) -> None:
    upload(applying, named("mine.png", png_bytes(), "image/png"))
    attachment = Attachment.objects.get()
    url = reverse(
        "procedures:attachment_remove",
        kwargs={"draft_id": applying.draft.pk, "attachment_id": attachment.pk},
    )
    stranger = signed_in(make_resident(catalog.city, email="jiro@example.jp"))
    with django_capture_on_commit_callbacks(execute=True):
        assert stranger.post(url, {"step": "docs"}).status_code == 404
        assert Client().post(url, {"step": "docs"}).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert Path(attachment.file.path).exists()


# --- After submitting ---


def test_submitted_file_belongs_to_the_application_and_only_its_applicant_downloads_it(
    applying: Applying, catalog: Catalog
) -> None:
    original = located_jpeg_bytes()
    response = upload(applying, named("garden.jpg", original, "image/jpeg"))
    assert response.status_code == 302, error_summary(response)
    done = submit(applying.client, applying.base)
    assert done.status_code == 302

    submission = Submission.objects.get()
    attachment = Attachment.objects.get()
    assert attachment.submission_id == submission.pk
    assert attachment.draft_id is None
    assert submission.answers["files"] == [str(attachment.pk)]
    assert not Draft.objects.exists()

    status = applying.client.get(f"/applications/{submission.pk}/")
    assert status.status_code == 200
    download_url = reverse(
        "procedures:attachment",
        kwargs={"submission_id": submission.pk, "attachment_id": attachment.pk},
    )
    html = status.content.decode()
    assert "garden.jpg" in html and download_url in html

    download = applying.client.get(download_url)
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    with attachment.file.open("rb") as stored:
        assert content == stored.read()
    assert download["Content-Type"] == "image/jpeg"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "garden.jpg" in download["Content-Disposition"]
    with Image.open(io.BytesIO(content)) as picture:
        assert not picture.getexif().get_ifd(GPS_IFD)

    stranger = signed_in(make_resident(catalog.city, email="jiro@example.jp"))
    assert stranger.get(download_url).status_code == 404
    assert stranger.get(f"/applications/{submission.pk}/").status_code == 404
    assert Client().get(download_url).status_code == 404


def test_an_attachment_of_another_application_is_not_served(
    applying: Applying, catalog: Catalog
) -> None:
    upload(applying, named("a.png", png_bytes(), "image/png"))
    submit(applying.client, applying.base)
    theirs = Submission.objects.get()
    their_file = Attachment.objects.get()

    other = Applying(applying.user, applying.client, start(applying.client, "photo"))
    upload(other, named("b.png", png_bytes(), "image/png"))
    submit(other.client, other.base)
    mine = Submission.objects.exclude(pk=theirs.pk).get()

    # The resident owns both, but a file is only served through its own application.
    crossed = reverse(
        "procedures:attachment",
        kwargs={"submission_id": mine.pk, "attachment_id": their_file.pk},
    )
    assert applying.client.get(crossed).status_code == 404


# --- Unit: sniff, safe_name, check_upload ---


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", PDF),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", JPEG),
        (b"\xff\xd8\xff\xe1\x00\x10Exif\x00", JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", PNG),
        (b"GIF89a\x01\x00\x01\x00", None),
        (b"MZ\x90\x00", None),
        (b"PK\x03\x04", None),  # zip, docx, xlsx
        (b"<html><script>", None),
        (b"%PD", None),
        (b"", None),
        (b"\x89PNG", None),
    ],
)
def test_sniff_reads_the_type_from_the_first_bytes(head: bytes, expected: str | None) -> None:
    assert sniff(head) == expected


def test_sniff_agrees_with_real_files() -> None:
    assert sniff(pdf_bytes()[:16]) == PDF
    assert sniff(jpeg_bytes()[:16]) == JPEG
    assert sniff(png_bytes()[:16]) == PNG
    assert sniff(gif_bytes()[:16]) is None


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("写真.JPG", JPEG, "写真.jpg"),
        ("写真.jpeg", JPEG, "写真.jpg"),
        ("scan.png", JPEG, "scan.jpg"),  # the extension follows the content
        ("C:\\Users\\hanako\\Desktop\\住民票.pdf", PDF, "住民票.pdf"),
        ("../../etc/passwd", PDF, "passwd.pdf"),
        ("/home/hanako/image.png", PNG, "image.png"),
        ("a\x00b\x1fc\u202egpj.exe", PNG, "abcgpj.png"),  # control and bidi characters
        ("か\u3099く.pdf", PDF, "がく.pdf"),  # NFC
        ("  .hidden. .pdf", PDF, "hidden.pdf"),
        ("", PDF, "file.pdf"),
        ("...", PNG, "file.png"),
    ],
)
def test_safe_name(name: str, content_type: str, expected: str) -> None:
    assert safe_name(name, content_type) == expected


def test_safe_name_is_short_enough_to_store() -> None:
    name = safe_name("あ" * 300 + ".pdf", PDF)
    assert name == "あ" * 80 + ".pdf"
    assert len(name) <= Attachment._meta.get_field("name").max_length


def refusal(content: bytes, name: str = "file", max_bytes: int = MEGABYTE) -> str:
    with translation.override("en"), pytest.raises(FileRefused) as refused:
        check_upload(content, name, max_bytes=max_bytes)
    return refused.value.message


def test_check_upload_refuses_empty_oversize_and_other_kinds_saying_what_to_do() -> None:
    assert "empty" in refusal(b"")
    too_big = refusal(pdf_bytes(padding=int(1.5 * MEGABYTE)), "big.pdf")
    assert "1 MB" in too_big and "smaller" in too_big
    for content in (gif_bytes(), TEXT_AS_PDF, EXECUTABLE, b"PK\x03\x04" + b"\x00" * 40):
        assert "PDF, JPEG or PNG" in refusal(content)
    assert "cannot be opened" in refusal(BROKEN_JPEG)
    assert "cannot be opened" in refusal(b"%PDF-1.7\n this is not a PDF \n%%EOF")


def test_check_upload_keeps_a_pdf_as_sent() -> None:
    content = pdf_bytes()
    checked = check_upload(content, "申請書.PDF", max_bytes=MEGABYTE)
    assert checked.content == content
    assert checked.content_type == PDF
    assert checked.name == "申請書.pdf"
    assert len(PdfReader(io.BytesIO(checked.content)).pages) == 1


def test_check_upload_writes_pictures_again_without_metadata() -> None:
    checked = check_upload(located_jpeg_bytes(), "x.jpeg", max_bytes=MEGABYTE)
    assert checked.content_type == JPEG and checked.name == "x.jpg"
    with Image.open(io.BytesIO(checked.content)) as picture:
        assert not picture.getexif()
        assert picture.size == (40, 20)

    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "亀山 花子")
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="PNG", pnginfo=text, exif=located_exif())
    checked = check_upload(out.getvalue(), "x.png", max_bytes=MEGABYTE)
    assert checked.content_type == PNG
    with Image.open(io.BytesIO(checked.content)) as picture:
        picture.load()
        assert "Author" not in picture.info
        assert not picture.getexif()


def test_check_upload_accepts_exactly_the_size_limit() -> None:
    content = png_bytes()
    assert check_upload(content, "a.png", max_bytes=len(content)).content_type == PNG
    assert "larger" in refusal(content, max_bytes=len(content) - 1)


def test_encrypted_pdf_refusal_says_to_send_it_without_a_password() -> None:
    assert "password" in refusal(encrypted_pdf_bytes(), "locked.pdf")


def test_pdf_without_pages_refusal_says_so() -> None:
    out = io.BytesIO()
    PdfWriter().write(out)
    assert "no pages" in refusal(out.getvalue(), "empty.pdf")


def test_picture_with_too_many_pixels_refusal_says_the_limit() -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, format="PNG")  # 64 million pixels, a few KB
    assert "more than 25,000,000 pixels" in refusal(out.getvalue(), "huge.png")


def test_the_audits_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    """A 7,740 × 7,740 PNG (60 million pixels in a small file) was accepted and took a web
    worker to 957 MB; it is refused from its header now."""
    out = io.BytesIO()
    Image.new("1", (7740, 7740)).save(out, format="PNG")
    message = refusal(out.getvalue(), "bomb.png")
    assert "more than 25,000,000 pixels" in message and "smaller" in message
    with translation.override("ja"), pytest.raises(FileRefused) as refused:
        check_upload(out.getvalue(), "bomb.png", max_bytes=MEGABYTE)
    assert "25,000,000画素まで" in refused.value.message


def test_a_large_photo_is_kept_upright_and_shrunk_to_the_stored_size() -> None:
    out = io.BytesIO()
    Image.new("RGB", (5000, 3000), (200, 100, 50)).save(out, format="JPEG")
    checked = check_upload(out.getvalue(), "photo.jpg", max_bytes=10 * MEGABYTE)
    with Image.open(io.BytesIO(checked.content)) as picture:
        assert picture.size == (MAX_EDGE, round(3000 * MAX_EDGE / 5000))


def test_jpeg_comment_is_removed() -> None:
    content = jpeg_bytes(comment=b"Hanako Kameyama, 1-2-3 Honmaru")
    checked = check_upload(content, "x.jpg", max_bytes=MEGABYTE)
    assert b"Hanako" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as picture:
        assert "comment" not in picture.info
