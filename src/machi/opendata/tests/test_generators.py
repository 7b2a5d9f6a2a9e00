"""Open data by design: generated datasets appear, stay current, and change only on change."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from machi.core.models import Department, Municipality, Role
from machi.opendata import selectors
from machi.opendata.generators import registry
from machi.opendata.generators.base import (
    DatasetDefaults,
    GeneratedResource,
    Generator,
)
from machi.opendata.generators.dataset_list import schema_header
from machi.opendata.generators.plan_kpis import HEADER as KPI_HEADER
from machi.opendata.generators.plan_kpis import PlanKPIGenerator
from machi.opendata.generators.publishing import (
    SKIP_EMPTY,
    SKIP_WITHDRAWN,
    generated_publish,
    generated_publish_many,
)
from machi.opendata.models import Dataset, DatasetState, Resource, ResourceVersion, VersionStatus
from machi.opendata.services.catalog import dataset_set_state, dataset_update
from machi.opendata.validation import validate_bytes
from machi.plan.models import KPI, Plan
from machi.plan.services.kpis import kpi_actual_record
from machi.testing.factories import (
    DatasetFactory,
    DepartmentFactory,
    ResourceFactory,
    ResourceVersionFactory,
)
from machi.testing.fixtures import make_staff
from machi.testing.plans import IMPLEMENTATION, STRUCTURE, import_text

HINANJO = json.dumps([{"名称": "亀山市役所"}], ensure_ascii=False).encode()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def digital(city: Municipality) -> Department:
    parent = DepartmentFactory(municipality=city, code="100", name="総合政策部")
    return DepartmentFactory(municipality=city, code="120", name="デジタル推進課", parent=parent)


@pytest.fixture
def bousai(city: Municipality) -> Department:
    return DepartmentFactory(municipality=city, code="400", name="防災安全課")


def published(
    municipality: Municipality, department: Department, name: str, title: str, **fields: Any
) -> Dataset:
    dataset = DatasetFactory(
        municipality=municipality,
        name=name,
        title=title,
        department=department,
        state=DatasetState.ACTIVE,
        **fields,
    )
    resource = ResourceFactory(dataset=dataset, name=f"{title} JSON", format="JSON")
    ResourceVersionFactory(
        resource=resource, filename=f"{name}.json", content=HINANJO + name.encode()
    )
    return dataset


@pytest.fixture
def catalog(city: Municipality, digital: Department, bousai: Department) -> Dataset:
    return published(city, bousai, "hinanjo", "指定緊急避難場所一覧", tags=["防災"])


@pytest.fixture
def plan(city: Municipality, digital: Department) -> Plan:
    health = DepartmentFactory(municipality=city, code="300", name="健康福祉部")
    DepartmentFactory(municipality=city, code="310", name="子ども未来課", parent=health)
    import_text(STRUCTURE.read_text(encoding="utf-8"), STRUCTURE.name)
    import_text(IMPLEMENTATION)
    return Plan.objects.get(municipality=city, code="kameyama-dx")


def generated(municipality: Municipality, key: str) -> Dataset:
    return Dataset.objects.get(municipality=municipality, generator=key)


def versions(municipality: Municipality, key: str) -> list[ResourceVersion]:
    return list(
        ResourceVersion.objects.filter(
            resource__dataset__municipality=municipality, resource__dataset__generator=key
        ).order_by("resource__generator_key", "number")
    )


def current_csv(municipality: Municipality, key: str, resource_key: str) -> list[dict[str, str]]:
    resource = Resource.objects.get(
        dataset__municipality=municipality, dataset__generator=key, generator_key=resource_key
    )
    version = selectors.current_version(resource)
    assert version is not None
    with version.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def run(*municipalities: Municipality) -> list[Any]:
    return generated_publish_many(municipalities=list(municipalities))


# --- Publishing ---------------------------------------------------------------------------


def test_builtin_generators_are_registered_in_order() -> None:
    keys = [g.key for g in registry.generators()]
    assert "plan-kpis" in keys and "dataset-list" in keys
    assert keys.index("plan-kpis") < keys.index("dataset-list")  # the list describes the rest


def test_first_run_creates_the_datasets_with_one_version_each(
    city: Municipality, digital: Department, catalog: Dataset, plan: Plan
) -> None:
    results = run(city)
    assert {r.generator: r.created for r in results} == {"plan-kpis": True, "dataset-list": True}
    listing = generated(city, "dataset-list")
    kpis = generated(city, "plan-kpis")
    for dataset in (listing, kpis):
        assert dataset.state == DatasetState.ACTIVE
        assert dataset.department == digital  # the デジタル推進課 publishes them
        assert selectors.dataset_find(city, dataset.name) is not None
    assert listing.name == "opendata-list" and listing.title == "オープンデータ一覧"
    assert [
        (v.resource.generator_key, v.number, v.status) for v in versions(city, "dataset-list")
    ] == [
        ("list-csv", 1, VersionStatus.PUBLISHED),
        ("list-json", 1, VersionStatus.PUBLISHED),
    ]
    assert [v.number for v in versions(city, "plan-kpis")] == [1]

    rows = current_csv(city, "dataset-list", "list-csv")
    assert list(rows[0])[:3] == ["全国地方公共団体コード", "ID", "地方公共団体名"]
    assert list(rows[0]) == list(schema_header())
    by_id = {row["ID"]: row for row in rows}
    assert set(by_id) == {"hinanjo", "opendata-list", "dx-plan-kpi"}
    assert by_id["hinanjo"]["データ名称"] == "指定緊急避難場所一覧"
    assert by_id["hinanjo"]["地方公共団体名"] == "三重県亀山市"
    assert by_id["hinanjo"]["全国地方公共団体コード"] == "242101"
    assert by_id["hinanjo"]["データ形式"] == "JSON"
    assert by_id["hinanjo"]["分類"] == "その他"
    assert by_id["hinanjo"]["URL"] == "http://testserver/opendata/dataset/hinanjo/"
    assert by_id["dx-plan-kpi"]["データ形式"] == "CSV"
    assert by_id["opendata-list"]["データ形式"] == "CSV;JSON"


def test_second_run_adds_no_version(city: Municipality, catalog: Dataset, plan: Plan) -> None:
    run(city)
    before = [v.pk for v in ResourceVersion.objects.all()]
    results = run(city)
    assert not any(r.changed for r in results)
    assert [v.pk for v in ResourceVersion.objects.all()] == before


def test_a_newly_published_dataset_makes_version_two_of_the_list(
    city: Municipality, catalog: Dataset, bousai: Department
) -> None:
    run(city)
    published(city, bousai, "aed", "AED設置箇所一覧")
    results = {r.generator: r for r in run(city)}
    assert results["dataset-list"].changed
    assert [v.number for v in versions(city, "dataset-list")] == [1, 2, 1, 2]
    rows = current_csv(city, "dataset-list", "list-csv")
    assert "AED設置箇所一覧" in {row["データ名称"] for row in rows}
    # The first version is kept, without the new row.
    resource = generated(city, "dataset-list").resources.get(generator_key="list-csv")
    first = resource.versions.get(number=1)
    with first.file.open("rb") as handle:
        assert "AED設置箇所一覧" not in handle.read().decode("utf-8-sig")


def test_a_new_kpi_actual_makes_a_new_version(
    city: Municipality, catalog: Dataset, plan: Plan
) -> None:
    run(city)
    kpi = KPI.objects.get(plan=plan, code="KPI-01")
    kodomo = Department.objects.get(municipality=city, code="310")
    clerk = make_staff(city, "clerk.kodomo@example.jp", department=kodomo)
    kpi_actual_record(
        actor=clerk,
        municipality=city,
        kpi=kpi,
        fiscal_year=2023,
        value="48.5",
        source_note="子ども未来課集計",
    )
    results = {r.generator: r for r in run(city)}
    assert results["plan-kpis"].resources[0].version == 2
    rows = current_csv(city, "plan-kpis", "kpi-csv")
    row = next(r for r in rows if r["KPIコード"] == "KPI-01" and r["年度"] == "2023")
    assert row["実績値"] == "48.5"
    assert row["目標値"] == "50"
    assert row["達成状況"] == "概ね順調"  # 97% of the target


def test_kpi_table_columns_and_values(city: Municipality, plan: Plan) -> None:
    run(city)
    rows = current_csv(city, "plan-kpis", "kpi-csv")
    assert list(rows[0]) == list(KPI_HEADER)
    first = next(r for r in rows if r["KPIコード"] == "KPI-01" and r["年度"] == "2022")
    assert first["KPI名"] == "子育て・介護関係26手続のオンライン化率"
    assert first["重点施策番号"] == "基本方針1 (1)"
    assert first["単位"] == "%"
    assert first["基準年度"] == "2021" and first["基準値"] == "0"
    assert first["目標値"] == "20" and first["実績値"] == "23.1"
    assert first["達成状況"] == "目標達成"
    paper = [r for r in rows if r["KPIコード"] == "KPI-02"]
    assert [(r["年度"], r["目標値"], r["実績値"]) for r in paper] == [("2026", "600000", "")]
    assert paper[0]["方向"] == "低いほど良い"


def test_generated_csv_files_pass_the_validator(
    city: Municipality, catalog: Dataset, plan: Plan
) -> None:
    run(city)
    for key, resource_key, schema in (
        ("dataset-list", "list-csv", "open-data-list"),
        ("plan-kpis", "kpi-csv", None),
    ):
        resource = Resource.objects.get(
            dataset__municipality=city, dataset__generator=key, generator_key=resource_key
        )
        version = selectors.current_version(resource)
        assert version is not None
        with version.file.open("rb") as handle:
            report = validate_bytes(handle.read(), schema).to_dict()
        errors = [p for p in report["problems"] if p["severity"] == "error"]
        assert errors == [], errors
        assert report["valid"] is True
        assert report["has_bom"] is True and report["encoding"].startswith("utf-8")
        if schema:
            assert report["layout"] == "current"


def test_staff_edits_of_the_description_are_kept(
    city: Municipality, catalog: Dataset, digital: Department
) -> None:
    run(city)
    listing = generated(city, "dataset-list")
    admin = make_staff(city, "admin@example.jp", role=Role.PLATFORM_ADMIN)
    dataset_update(
        actor=admin, dataset=listing, title="亀山市オープンデータ一覧", tags=["カタログ"]
    )
    run(city)
    listing.refresh_from_db()
    assert listing.title == "亀山市オープンデータ一覧"
    assert listing.tags == ["カタログ"]
    # The list shows the new title of its own row.
    rows = current_csv(city, "dataset-list", "list-csv")
    assert "亀山市オープンデータ一覧" in {r["データ名称"] for r in rows}


def test_a_withdrawn_generated_dataset_is_left_alone(
    city: Municipality, catalog: Dataset, bousai: Department
) -> None:
    run(city)
    listing = generated(city, "dataset-list")
    dataset_set_state(actor=None, dataset=listing, state=DatasetState.DELETED)
    published(city, bousai, "aed", "AED設置箇所一覧")
    results = {r.generator: r for r in run(city)}
    assert results["dataset-list"].skipped == SKIP_WITHDRAWN
    listing.refresh_from_db()
    assert listing.state == DatasetState.DELETED
    assert [v.number for v in versions(city, "dataset-list")] == [1, 1]


def test_nothing_is_created_while_there_is_nothing_to_list(
    city: Municipality, digital: Department
) -> None:
    results = {r.generator: r for r in run(city)}
    assert results["dataset-list"].skipped == SKIP_EMPTY
    assert results["plan-kpis"].skipped == SKIP_EMPTY
    assert not Dataset.objects.filter(municipality=city).exists()


def test_a_name_taken_by_staff_is_not_overwritten(
    city: Municipality, catalog: Dataset, bousai: Department
) -> None:
    mine = published(city, bousai, "opendata-list", "職員が作った一覧")
    run(city)
    mine.refresh_from_db()
    assert mine.generator == "" and mine.title == "職員が作った一覧"
    assert generated(city, "dataset-list").name == "opendata-list-2"


# --- Failures -----------------------------------------------------------------------------


class HalfBroken(Generator):
    """Renders a good file, then one the checks refuse."""

    key = "test-half-broken"

    def defaults(self, municipality: Municipality) -> DatasetDefaults:
        return DatasetDefaults(name="half-broken", title="壊れた生成データ")

    def resources(self, municipality: Municipality) -> list[GeneratedResource]:
        return [
            GeneratedResource("good", "良いファイル", "good.json", "JSON", b'{"ok": 1}'),
            GeneratedResource("bad", "空のファイル", "bad.json", "JSON", b""),
        ]


class Exploding(Generator):
    key = "test-exploding"
    fail = False

    def defaults(self, municipality: Municipality) -> DatasetDefaults:
        return DatasetDefaults(name="exploding", title="途中で失敗する生成データ")

    def resources(self, municipality: Municipality) -> list[GeneratedResource]:
        if self.fail:
            raise RuntimeError("the source system is down")
        return [GeneratedResource("data", "データ", "data.json", "JSON", b"[1]")]


@pytest.fixture
def extra_generators() -> Any:
    added = [registry.register(HalfBroken()), registry.register(Exploding())]
    yield added
    for generator in added:
        registry.unregister(generator.key)


def test_a_failing_generator_publishes_nothing_half_way(
    city: Municipality, digital: Department, catalog: Dataset
) -> None:
    with pytest.raises(ValidationError):
        generated_publish(municipality=city, generator=HalfBroken())
    assert not Dataset.objects.filter(generator="test-half-broken").exists()
    assert not Resource.objects.filter(generator_key="good").exists()
    assert not ResourceVersion.objects.filter(filename="good.json").exists()


def test_a_generator_failing_later_keeps_the_previous_version(
    city: Municipality, digital: Department, catalog: Dataset, extra_generators: Any
) -> None:
    exploding = registry.get("test-exploding")
    assert isinstance(exploding, Exploding)
    results = {r.generator: r for r in run(city)}
    assert results["test-exploding"].created
    assert results["test-half-broken"].error.startswith("ValidationError")
    # The others still ran.
    assert results["dataset-list"].created
    exploding.fail = True
    results = {r.generator: r for r in run(city)}
    assert "the source system is down" in results["test-exploding"].error
    dataset = generated(city, "test-exploding")
    assert dataset.state == DatasetState.ACTIVE
    assert [v.number for v in versions(city, "test-exploding")] == [1]


def test_registering_another_generator_under_a_used_key_is_refused() -> None:
    class Impostor(Generator):
        key = "plan-kpis"

        def defaults(self, municipality: Municipality) -> DatasetDefaults:
            raise NotImplementedError

        def resources(self, municipality: Municipality) -> list[GeneratedResource]:
            return []

    with pytest.raises(ValueError, match="already used"):
        registry.register(Impostor())
    with pytest.raises(ValueError, match="must match"):
        registry.register(type("Bad", (Impostor,), {"key": "Bad Key"})())
    registry.register(PlanKPIGenerator())  # the same class again is fine


# --- Tenancy ------------------------------------------------------------------------------


def test_each_municipality_lists_only_its_own_datasets(
    city: Municipality, other_city: Municipality, catalog: Dataset
) -> None:
    kikaku = DepartmentFactory(municipality=other_city, code="110", name="情報政策課")
    published(other_city, kikaku, "kankou", "観光施設一覧")
    run(city, other_city)
    kameyama = current_csv(city, "dataset-list", "list-csv")
    suzuka = current_csv(other_city, "dataset-list", "list-csv")
    assert {r["ID"] for r in kameyama} == {"hinanjo", "opendata-list"}
    assert {r["ID"] for r in suzuka} == {"kankou", "opendata-list"}
    assert {r["全国地方公共団体コード"] for r in suzuka} == {"242071"}
    assert {r["地方公共団体名"] for r in suzuka} == {"三重県鈴鹿市"}
    assert generated(other_city, "dataset-list").department == kikaku
    assert {r["URL"] for r in suzuka if r["ID"] == "kankou"} == {
        "https://suzuka.example.jp/opendata/dataset/kankou/"
    }


# --- Keeping current ----------------------------------------------------------------------


def test_command_prints_what_changed(city: Municipality, catalog: Dataset, plan: Plan) -> None:
    out = io.StringIO()
    with translation.override("en"):
        call_command("opendata_generate", "--municipality", "２４２１０１", stdout=out)
    text = out.getvalue()
    assert "242101 dataset-list: dataset opendata-list created, list-csv new version 1" in text
    assert "242101 plan-kpis: dataset dx-plan-kpi created, kpi-csv new version 1" in text
    assert "2 of 2 generated datasets changed." in text
    out = io.StringIO()
    with translation.override("en"):
        call_command("opendata_generate", "--generator", "plan-kpis", stdout=out)
    assert "242101 plan-kpis: dataset dx-plan-kpi, kpi-csv unchanged" in out.getvalue()
    assert "0 of 1 generated datasets changed." in out.getvalue()


@translation.override("en")
def test_command_refuses_unknown_municipality_and_generator(city: Municipality) -> None:
    with pytest.raises(CommandError, match="No municipality has the code 999999"):
        call_command("opendata_generate", "--municipality", "999999")
    with pytest.raises(CommandError, match="No generator is registered as nope"):
        call_command("opendata_generate", "--generator", "nope")


def test_daily_task_is_scheduled_and_publishes(
    settings: Any, city: Municipality, catalog: Dataset
) -> None:
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert any(e["task"] == "opendata.generated_publish" for e in entries)
    from machi.opendata.tasks import opendata_generated_publish

    assert opendata_generated_publish.delay().get() == 1
    assert generated(city, "dataset-list").state == DatasetState.ACTIVE
    assert opendata_generated_publish.delay().get() == 0


def test_dates_in_the_list_do_not_depend_on_when_it_runs(
    city: Municipality, catalog: Dataset, monkeypatch: Any
) -> None:
    run(city)
    later = timezone.now() + dt.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert not any(r.changed for r in run(city))
