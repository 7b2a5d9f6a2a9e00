"""CSV hand-off to the core system, and the department statistics."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import random
import statistics
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from machi.casework.department_stats import department_statistics, quantile_of_histogram
from machi.casework.models import Case, CaseExport
from machi.casework.services import case_decide, case_token
from machi.casework.services.exports import cases_export
from machi.core.models import AuditEntry, Municipality, User
from machi.procedures.models import Submission
from machi.testing.applications import Catalog, fill_gomi, post_step, signed_in, start, submit
from machi.testing.fixtures import make_staff

pytestmark = pytest.mark.django_db


def _apply(note: str = "", address: str = "") -> Case:
    client = Client()
    base = start(client, "gomi")
    fill_gomi(client, base)
    if note or address:
        post_step(
            client,
            base,
            "where",
            {
                "f-address": address or f"三重県亀山市本丸町577 {note}",
                "f-day": "2099-01-05",
                "f-delivery": "mail",
                "f-email": "a@example.jp",
            },
        )
    submit(client, base)
    return Case.objects.select_related("submission").latest("received_at")


@pytest.fixture
def clerk(catalog: Catalog, city: Municipality) -> User:
    return make_staff(city, "kankyo@example.jp", department=catalog.kankyo)


def _rows(content: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode(encoding))))


def test_export_writes_each_question_once_and_never_twice_unless_asked(
    catalog: Catalog, clerk: User, city: Municipality
) -> None:
    first = _apply()
    exported = cases_export(
        actor=clerk, municipality=city, procedure=catalog.gomi, encoding="utf-8-sig"
    )
    assert exported.content.startswith(b"\xef\xbb\xbf")
    header, row = _rows(exported.content, "utf-8-sig")
    assert header[:5] == ["受付番号", "受付日時", "状態", "受付経路", "様式の版"]
    assert "品目1_品目" in header and "品目2_数" in header and "住所" in header
    assert row[0] == first.submission.reference_display
    assert row[header.index("品目2_数")] == "2"
    assert row[header.index("品目1_品目")] == "ソファ"
    with pytest.raises(ValidationError):
        cases_export(actor=clerk, municipality=city, procedure=catalog.gomi, encoding="utf-8-sig")
    second = _apply()
    again = cases_export(actor=clerk, municipality=city, procedure=catalog.gomi, encoding="cp932")
    assert [r[0] for r in _rows(again.content, "cp932")[1:]] == [
        second.submission.reference_display
    ]
    everything = cases_export(
        actor=clerk,
        municipality=city,
        procedure=catalog.gomi,
        encoding="utf-8-sig",
        include_exported=True,
    )
    assert everything.count == 2
    assert CaseExport.objects.count() == 3
    assert AuditEntry.objects.filter(action="case.exported").count() == 3


def test_cp932_refuses_characters_it_cannot_hold_and_names_the_case(
    catalog: Catalog, clerk: User, city: Municipality
) -> None:
    case = _apply(note="🍣")
    with pytest.raises(ValidationError) as problem:
        cases_export(actor=clerk, municipality=city, procedure=catalog.gomi, encoding="cp932")
    assert case.submission.reference_display in " ".join(problem.value.messages)
    assert not CaseExport.objects.exists()
    case.refresh_from_db()
    assert case.exported_at is None  # nothing marked as handed over


def test_export_page_downloads_and_lists_the_history(catalog: Catalog, clerk: User) -> None:
    _apply()
    client = signed_in(clerk)
    assert client.get("/staff/cases/export/").status_code == 200
    response = client.post("/staff/cases/export/", {"procedure": "gomi", "encoding": "cp932"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=shift_jis"
    assert "attachment;" in response["Content-Disposition"]
    empty = client.post("/staff/cases/export/", {"procedure": "gomi", "encoding": "cp932"})
    assert empty.status_code == 400
    assert (
        "gomi" in client.get("/staff/cases/export/").content.decode()
        or "粗大ごみ" in client.get("/staff/cases/export/").content.decode()
    )
    other = make_staff(clerk.municipality, "shimin@example.jp", department=catalog.shimin)  # type: ignore[arg-type]
    refused = signed_in(other).post(
        "/staff/cases/export/", {"procedure": "gomi", "encoding": "cp932"}
    )
    assert refused.status_code == 400  # 市民課 does not see 環境課's procedure


FORMULAS = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("formula", FORMULAS)
def test_an_answer_written_as_a_formula_exports_as_text(
    catalog: Catalog, clerk: User, formula: str
) -> None:
    """A resident's answer never runs as a formula in the clerk's spreadsheet."""
    _apply(address=formula)
    response = signed_in(clerk).post(
        "/staff/cases/export/", {"procedure": "gomi", "encoding": "utf-8-sig"}
    )
    assert response.status_code == 200
    header, row = _rows(response.content, "utf-8-sig")
    assert row[header.index("住所")] == "'" + formula
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    export = CaseExport.objects.get()
    assert export.cells == "text"
    entry = AuditEntry.objects.get(action="case.exported")
    assert entry.data["cells"] == "text"


def test_raw_cells_for_a_core_system_import_are_an_explicit_recorded_choice(
    catalog: Catalog, clerk: User
) -> None:
    formula = '=HYPERLINK("http://evil","x")'
    _apply(address=formula)
    client = signed_in(clerk)
    page = client.get("/staff/cases/export/").content.decode()
    assert 'name="cells" value="text"' in page and 'name="cells" value="raw"' in page
    response = client.post(
        "/staff/cases/export/", {"procedure": "gomi", "encoding": "utf-8-sig", "cells": "raw"}
    )
    assert response.status_code == 200
    assert "-raw" in response["Content-Disposition"]
    header, row = _rows(response.content, "utf-8-sig")
    assert row[header.index("住所")] == formula
    assert CaseExport.objects.get().cells == "raw"
    assert AuditEntry.objects.get(action="case.exported").data["cells"] == "raw"
    history = client.get("/staff/cases/export/").content.decode()
    assert "raw-cells" in history  # the history marks the export made with raw cells
    refused = client.post(
        "/staff/cases/export/",
        {"procedure": "gomi", "encoding": "utf-8-sig", "cells": "excel", "include_exported": "1"},
    )
    assert refused.status_code == 400


def test_statistics_count_months_times_overdue_and_channels(
    catalog: Catalog, clerk: User, city: Municipality
) -> None:
    cases = [_apply() for _ in range(3)]
    now = timezone.now()
    Submission.objects.filter(pk=cases[0].submission_id).update(
        submitted_at=now - dt.timedelta(days=40)
    )
    Case.objects.filter(pk=cases[0].pk).update(received_at=now - dt.timedelta(days=40))
    for case in cases[:2]:
        case.refresh_from_db()
        case_decide(actor=clerk, case=case, decision="approve", reason="", version=case_token(case))
    Case.objects.filter(pk=cases[2].pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    figures = department_statistics(user=clerk, municipality=city)
    [row] = figures.rows
    assert row.total == 3
    assert row.overdue == 1
    assert row.online_share == 100
    # Decided after 40 days and on the day: the median is halfway, the 90th percentile
    # nine tenths of the way (interpolated like statistics.quantiles, inclusive).
    assert row.median_days == 20.0
    assert row.p90_days == 36.0
    assert sum(figures.monthly_totals) == 3
    page: Any = signed_in(clerk).get("/staff/cases/statistics/").content.decode()
    assert 'role="img"' in page and 'id="volume-table"' in page


@pytest.mark.parametrize("seed", range(5))
def test_histogram_quantiles_match_the_standard_library(seed: int) -> None:
    rng = random.Random(seed)
    values = sorted(
        rng.choice([rng.randrange(3), rng.randrange(2000)]) for _ in range(rng.randrange(1, 300))
    )
    histogram = sorted(Counter(values).items())
    assert quantile_of_histogram(histogram, 0.5) == pytest.approx(statistics.median(values))
    if len(values) > 1:
        p90 = statistics.quantiles(values, n=10, method="inclusive")[-1]
        assert quantile_of_histogram(histogram, 0.9) == pytest.approx(p90)


def test_processing_time_is_kept_when_an_application_finishes(
    catalog: Catalog, clerk: User
) -> None:
    case = _apply()
    assert case.submission.processing_hours is None
    Submission.objects.filter(pk=case.submission_id).update(
        submitted_at=timezone.now() - dt.timedelta(hours=30)
    )
    case.refresh_from_db()
    case_decide(actor=clerk, case=case, decision="approve", reason="", version=case_token(case))
    assert Submission.objects.get(pk=case.submission_id).processing_hours == 30


def test_the_migration_fills_processing_time_of_finished_applications(
    catalog: Catalog, clerk: User
) -> None:
    from django.apps import apps

    backfill = importlib.import_module(
        "machi.procedures.migrations.0004_submission_processing_hours"
    ).backfill
    finished, still_open = _apply(), _apply()
    now = timezone.now()
    Submission.objects.filter(pk=finished.submission_id).update(
        status="rejected", submitted_at=now - dt.timedelta(days=2), status_changed_at=now
    )
    backfill(apps, None)
    assert Submission.objects.get(pk=finished.submission_id).processing_hours == 48
    assert Submission.objects.get(pk=still_open.submission_id).processing_hours is None
