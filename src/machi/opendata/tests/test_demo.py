"""The 亀山市 demo catalog: what ``load_opendata_demo`` puts in the portal, and its files."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import call_command

from machi.core.demo import data as core_demo
from machi.core.models import AuditEntry, Municipality
from machi.core.services.tenancy import department_upsert, municipality_upsert
from machi.opendata import selectors
from machi.opendata.demo import build, catalog
from machi.opendata.models import Dataset, DatasetState, Resource, ResourceVersion, VersionStatus
from machi.opendata.validation import validate_bytes

# Where 亀山市 lies (the demo's points must land in the city on the map).
LATITUDES = (34.83, 34.90)
LONGITUDES = (136.33, 136.50)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kameyama(db: Any) -> Municipality:
    """The demo tenant and its departments, as ``load_demo`` makes them."""
    city = municipality_upsert(**core_demo.KAMEYAMA)  # type: ignore[arg-type]
    made: dict[str, Any] = {}
    for code, name, name_en, parent in core_demo.DEPARTMENTS:
        made[code] = department_upsert(
            municipality=city,
            code=code,
            name=name,
            name_en=name_en,
            parent=made.get(parent) if parent else None,
        )
    return city


@pytest.fixture
def loaded(kameyama: Municipality) -> Municipality:
    call_command("load_opendata_demo", stdout=io.StringIO())
    return kameyama


def demo_file(source: str) -> bytes:
    return catalog.read_data_file(source)


def rows_of(source: str, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(demo_file(source).decode(encoding))))


def test_the_demo_catalog_is_public_and_marked_as_demo(loaded: Municipality) -> None:
    datasets = Dataset.objects.filter(municipality=loaded, state=DatasetState.ACTIVE, is_demo=True)
    assert datasets.count() >= 10
    assert datasets.count() == len(catalog.DATASETS)
    for dataset in datasets:
        assert "デモ用に作成した架空のデータです" in dataset.notes
        assert dataset.spatial == "三重県亀山市"
        assert dataset.contact_email.endswith("@city.kameyama.demo")
        assert dataset.groups.exists()
        assert dataset.tags
    assert {d.license_id for d in datasets} == {"cc-by-4.0", "pdl-1.0"}
    names = set(datasets.values_list("name", flat=True))
    assert {
        "public-facilities",
        "evacuation-sites",
        "aed",
        "public-toilets",
        "childcare-facilities",
        "events",
    } <= names
    publishers = set(datasets.values_list("department__code", flat=True))
    assert {"110", "310", "400", "610", "620"} <= publishers


def test_every_resource_has_a_published_version(loaded: Municipality) -> None:
    resources = Resource.objects.filter(dataset__municipality=loaded, dataset__is_demo=True)
    assert resources.count() == sum(len(d.resources) for d in catalog.DATASETS)
    for resource in resources:
        current = selectors.current_version(resource)
        assert current is not None, resource.name
        assert current.report["valid"] is True, resource.name
        assert current.row_count and current.row_count > 0
        assert current.table_file  # datastore_search and the preview read this copy


def test_the_groups_sort_the_catalog(loaded: Municipality) -> None:
    counts = {g.name: g.package_count for g in selectors.groups_with_counts(loaded)}
    for group in catalog.GROUPS:
        assert counts[group.name] >= 1, group.name
    assert counts["bousai"] >= 2


def test_searching_for_hinanjo_finds_the_evacuation_sites(loaded: Municipality) -> None:
    found = selectors.catalog_index(loaded).search(q="避難所")
    evacuation = Dataset.objects.get(municipality=loaded, name="evacuation-sites")
    assert str(evacuation.id) in found.ids


def test_the_aed_list_is_recorded_as_cp932(loaded: Municipality) -> None:
    resource = Resource.objects.get(dataset__name="aed", dataset__municipality=loaded)
    current = selectors.current_version(resource)
    assert current is not None
    assert current.encoding == "cp932"
    assert not current.has_bom
    with current.file.open("rb") as handle:
        content = handle.read()
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    text = content.decode("cp932")
    assert "㈱亀山精密工業" in text and "髙橋内科クリニック" in text and "8:30～17:15" in text


def test_the_file_with_errors_waits_unpublished_with_its_report(loaded: Municipality) -> None:
    resource = Resource.objects.get(dataset__name="events", dataset__municipality=loaded)
    newest = resource.versions.order_by("-number").first()
    assert newest is not None
    assert newest.status == VersionStatus.CHECKED
    assert newest.published_at is None
    assert newest.report["valid"] is False
    found = set(newest.report["by_code"])
    assert {
        "wareki-date",
        "fullwidth-digits",
        "latitude.range",
        "localgov-code.check-digit",
        "duplicate-id",
        "required.missing",
    } <= found
    wareki = next(p for p in newest.report["problems"] if p["code"] == "wareki-date")
    assert wareki["value"] == "令和8年6月6日"
    assert wareki["suggestion"] == "2026-06-06"
    # The public still sees the clean file, and the history of the two published ones.
    current = selectors.current_version(resource)
    assert current is not None and current.number == newest.number - 1
    assert [v.number for v in selectors.resource_history(resource)] == [2, 1]
    assert current.change_note.startswith("下半期のイベントを追加")


def test_loading_twice_adds_nothing_and_audits_nothing(loaded: Municipality) -> None:
    def state() -> tuple[Any, ...]:
        return (
            Dataset.objects.count(),
            Resource.objects.count(),
            ResourceVersion.objects.count(),
            AuditEntry.objects.count(),
            sorted(Dataset.objects.values_list("name", "modified_at")),
        )

    before = state()
    out = io.StringIO()
    call_command("load_opendata_demo", stdout=out)
    assert state() == before
    assert "0 new file versions" in out.getvalue()


def test_the_command_needs_the_demo_tenant(db: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_opendata_demo", stdout=io.StringIO())


@pytest.mark.parametrize("spec", catalog.DATASETS, ids=lambda d: d.name)
def test_every_demo_file_validates_as_expected(spec: catalog.DemoDataset) -> None:
    for resource in spec.resources:
        for version in resource.versions:
            report = validate_bytes(demo_file(version.source), resource.schema_name or None)
            assert report.readable
            assert report.encoding == resource.encoding, version.source
            if version.publish:
                errors = [p for p in report.problems if p.severity == "error"]
                assert report.valid, (version.source, errors[:3])
            else:
                assert not report.valid
                assert report.errors >= 6


def test_the_files_in_the_package_are_what_the_build_makes() -> None:
    sources = {v.source for d in catalog.DATASETS for r in d.resources for v in r.versions}
    assert sources == {f.source for f in build.FILES}
    for demo in build.FILES:
        assert build.unknown_columns(demo) <= {"郵便番号"}, demo.source
        assert build.render(demo) == demo_file(demo.source), (
            f"{demo.source} is stale: run python -m machi.opendata.demo.build"
        )


def test_places_lie_in_kameyama_and_ids_are_unique() -> None:
    for demo in build.FILES:
        if demo.source == catalog.ERROR_FILE:
            continue
        encoding = "cp932" if demo.encoding == "cp932" else "utf-8-sig"
        rows = rows_of(demo.source, encoding)
        if "ID" in rows[0]:
            ids = [row["ID"] for row in rows]
            assert len(ids) == len(set(ids)), demo.source
        if "緯度" not in rows[0]:
            continue
        for row in rows:
            assert LATITUDES[0] <= float(row["緯度"]) <= LATITUDES[1], (demo.source, row)
            assert LONGITUDES[0] <= float(row["経度"]) <= LONGITUDES[1], (demo.source, row)
            assert row["全国地方公共団体コード"] == "242101"


def test_kameyama_has_38_public_toilets() -> None:
    rows = rows_of("public-toilets.csv")
    assert len(rows) == 38
    assert {row["車椅子使用者用トイレ有無"] for row in rows} == {"有", "無"}


def test_the_event_list_grew_between_its_two_versions() -> None:
    first, second = rows_of("events-2026-04.csv"), rows_of("events-2026-10.csv")
    assert len(second) > len(first)
    festival = {row["イベント名"]: row for row in second}["東海道関宿まつり"]
    assert festival["終了時間"] == "21:30"


def test_the_error_file_can_be_checked_on_the_command_line() -> None:
    import json
    from importlib import resources

    from django.core.management.base import CommandError

    data = resources.files(catalog.DATA_PACKAGE).joinpath("data", catalog.ERROR_FILE)
    out = io.StringIO()
    with resources.as_file(data) as path, pytest.raises(CommandError):
        call_command(
            "validate_opendata", str(path), "--schema", catalog.ERROR_SCHEMA, "--json", stdout=out
        )
    report = json.loads(out.getvalue())
    assert report["valid"] is False
    assert report["counts"]["error"] == 6
