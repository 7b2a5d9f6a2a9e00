"""What made a resident's first requests slow stays done once per process, not per request:
the PDF engine and the holiday calendar load when the web process starts, and PDF copies
share the fonts already loaded. Timings are measured in ``make bench`` (request_latency)."""

from __future__ import annotations

import io
import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from machi.core import pdf
from machi.procedures.models import Submission
from machi.testing.applications import Catalog, fill_gomi, start, submit

ROOT = Path(__file__).resolve().parents[4]


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_pdf_copies_share_the_fonts_loaded_for_the_first(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint.text import fonts

    built = []
    real_init = fonts.FontConfiguration.__init__

    def counting_init(self: Any) -> None:
        built.append(self)
        real_init(self)

    monkeypatch.setattr(fonts.FontConfiguration, "__init__", counting_init)
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    assert submit(client, base).status_code == 302
    submission = Submission.objects.get()
    japanese = client.get(f"/applications/{submission.pk}/pdf/")
    english = client.get(f"/applications/{submission.pk}/pdf/", HTTP_ACCEPT_LANGUAGE="en")
    for response in (japanese, english):
        assert response.status_code == 200
        text = _pdf_text(response.content)
        assert submission.reference_display in text
        assert "三重県亀山市本丸町577" in text  # the resident's answer, in Japanese
    assert "粗大ごみ収集の申込" in _pdf_text(japanese.content)
    assert len(built) <= 1  # fonts loaded at most once, not for every copy


@pytest.mark.django_db
def test_the_pdf_copy_is_set_in_one_typeface(catalog: Catalog) -> None:
    """The page number too: a second CJK face (serif) made the file bigger and slower."""
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    assert submit(client, base).status_code == 302
    submission = Submission.objects.get()
    reader = PdfReader(io.BytesIO(client.get(f"/applications/{submission.pk}/pdf/").content))
    faces = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert faces == {"Noto-Sans-CJK-JP", "Noto-Sans-CJK-JP-Bold"}
    assert "1 / 1" in reader.pages[0].extract_text()  # the page number is still printed


@pytest.mark.django_db
def test_a_long_answer_wraps_inside_the_pdf_copy(catalog: Catalog) -> None:
    """Fixed-width columns: an e-mail address too long for a line prints whole on the page,
    over several lines, instead of running off its right edge."""
    # No hyphen or space: nowhere a line may break but where overflow-wrap allows it.
    email = "kameyamatarolargewastecollection@householdwastecollectionrequestsfromkameyama.jp"
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base, email=email)
    assert submit(client, base).status_code == 302
    submission = Submission.objects.get()
    text = _pdf_text(client.get(f"/applications/{submission.pk}/pdf/").content)
    assert email in text.replace("\n", "")
    assert email not in text  # wrapped inside its cell


def _start_web_process(*first: str) -> list[str]:
    """Import the WSGI application in a fresh interpreter (after ``first``, if given);
    report whether WeasyPrint is loaded, the holiday years cached and fonts ready."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    script = "\n".join(
        [
            "import sys",
            *first,
            "import machi.config.wsgi",
            "from machi.core.japanese import business_days",
            "from machi.core import pdf",
            "print('weasyprint' in sys.modules, business_days._holidays.cache_info().currsize,"
            " pdf._font_configurations.qsize())",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.split()


def test_the_web_process_loads_the_pdf_engine_fonts_and_holidays_at_start() -> None:
    """The first PDF copy and the first application do not wait for either to load."""
    loaded, holiday_years, font_configurations = _start_web_process()
    assert loaded == "True"
    assert int(holiday_years) >= 1
    assert int(font_configurations) == 1


def test_gunicorn_master_loads_no_fonts_before_forking_its_workers() -> None:
    """Pango's threads do not survive a fork: workers load the fonts in post_worker_init."""
    loaded, _years, font_configurations = _start_web_process("import gunicorn")
    assert loaded == "True"
    assert font_configurations == "0"
    while not pdf._font_configurations.empty():  # as in a worker just forked
        pdf._font_configurations.get_nowait()
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    config["post_worker_init"](None)
    assert pdf._font_configurations.qsize() == 1
