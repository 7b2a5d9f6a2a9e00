"""``POST /api/opendata/validate``: the validator as an HTTP API (not CKAN-enveloped)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

PATH = "/api/opendata/validate"
AED = (
    "全国地方公共団体コード,ID,地方公共団体名,名称,所在地_連結表記,設置位置,緯度,経度\r\n"
    "242101,1,三重県亀山市,亀山市役所,三重県亀山市本丸町577,1階ロビー,34.8553,136.4519\r\n"
    "242101,2,三重県亀山市,関支所,三重県亀山市関町木崎919-1,玄関,３４．８７,136.39\r\n"
    "242101,2,三重県亀山市,亀山駅,三重県亀山市御幸町,,34.85,200\r\n"
)


@pytest.fixture(autouse=True)
def _tenant(city: Any) -> None:
    """The API, like every page, is served for a municipality."""


def problems_by_cell(report: dict[str, Any]) -> dict[tuple[int, str], str]:
    return {(p["row"], p["column"]): p["code"] for p in report["problems"] if p["row"]}


def test_multipart_upload_gets_the_report(client: Client) -> None:
    upload = SimpleUploadedFile("aed.csv", AED.encode("cp932"), content_type="text/csv")
    response = client.post(PATH, {"file": upload, "schema": "aed"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    report = response.json()
    assert report["valid"] is False and report["readable"] is True
    assert report["schema"] == "aed"
    assert report["encoding"] == "cp932"
    assert report["rows"] == 3
    assert problems_by_cell(report) == {
        (3, "緯度"): "fullwidth-digits",
        (4, "ID"): "duplicate-id",
        (4, "設置位置"): "required.missing",
        (4, "経度"): "longitude.range",
    }
    fullwidth = next(p for p in report["problems"] if p["code"] == "fullwidth-digits")
    assert fullwidth["value"] == "３４．８７" and fullwidth["suggestion"] == "34.87"
    assert fullwidth["message_ja"] and fullwidth["message_en"] and fullwidth["fix_ja"]


def test_raw_body_with_schema_in_the_query(client: Client) -> None:
    response = client.post(f"{PATH}?schema=aed", AED.encode("utf-8"), content_type="text/csv")
    assert response.status_code == 200
    report = response.json()
    assert report["encoding"] == "utf-8"
    assert report["counts"]["error"] == 4
    general = client.post(PATH, AED.encode("utf-8"), content_type="text/csv")
    assert general.status_code == 200  # without a schema: the checks every CSV gets
    assert general.json()["readable"] is True


def test_a_file_that_is_not_a_csv_is_reported_unreadable(client: Client) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    response = client.post(PATH, png, content_type="application/octet-stream")
    assert response.status_code == 200
    assert response.json()["readable"] is False


@pytest.mark.parametrize(
    ("send", "code", "english"),
    [
        ({"data": {"schema": "aed"}}, "missing_file", "form field “file”"),
        ({"data": b"", "content_type": "text/csv"}, "missing_file", "request body"),
        (
            {"data": {"file": SimpleUploadedFile("a.csv", b""), "schema": "aed"}},
            "empty_file",
            "The file is empty.",
        ),
        (
            {"data": {"file": SimpleUploadedFile("a.csv", AED.encode()), "schema": "bus-stops"}},
            "unknown_schema",
            "Unknown table schema “bus-stops”. Use one of: ",
        ),
    ],
)
def test_bad_input_is_a_400_in_japanese_and_english(
    client: Client, send: dict[str, Any], code: str, english: str
) -> None:
    response = client.post(PATH, **send)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert english in error["message_en"]
    assert error["message_ja"]
    assert error["message"].startswith(error["message_ja"])


def test_uploads_above_the_staff_limit_are_refused(client: Client, settings: Any) -> None:
    settings.MACHI_OPENDATA_MAX_UPLOAD_MB = 1
    big = AED.encode() + b"242101,9,x,y,z,w,34.8,136.4\r\n" * 40000  # about 1.2 MB
    raw = client.post(PATH, big, content_type="text/csv")
    assert raw.status_code == 413
    assert raw.json()["error"]["code"] == "too_large"
    assert "1 MB" in raw.json()["error"]["message_en"]
    form = client.post(PATH, {"file": SimpleUploadedFile("big.csv", big)})
    assert form.status_code == 413


def test_only_post_and_a_rate_limit(client: Client, settings: Any) -> None:
    response = client.get(PATH)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"
    settings.MACHI_OPENDATA_VALIDATE_PER_MINUTE = 2
    statuses = [
        client.post(PATH, AED.encode(), content_type="text/csv").status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
