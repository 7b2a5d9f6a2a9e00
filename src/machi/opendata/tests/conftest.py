"""Shared fixtures of the open data tests: a small 亀山市 catalog (and one dataset of a
second municipality) built through the real services, with files that went through the
real upload → check → publish path."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from machi.core.models import Department, Municipality
from machi.opendata.models import Dataset, DatasetGroup, DatasetState, Resource
from machi.testing.factories import (
    DatasetFactory,
    DatasetGroupFactory,
    DepartmentFactory,
    ResourceFactory,
    ResourceVersionFactory,
)

#: 指定避難所一覧 (made up for the tests): 12 rows, 地区 亀山 ×8 and 関 ×4.
HINANJO_ROWS = [
    ("001", "亀山東小学校", "亀山", "三重県亀山市東町一丁目1-1", "400"),
    ("002", "亀山西小学校", "亀山", "三重県亀山市西町2-2", "350"),
    ("003", "昼生小学校", "亀山", "三重県亀山市中庄町3-3", "200"),
    ("004", "井田川小学校", "亀山", "三重県亀山市井田川町4-4", "300"),
    ("005", "川崎小学校", "亀山", "三重県亀山市川崎町5-5", "250"),
    ("006", "野登小学校", "亀山", "三重県亀山市安坂山町6-6", "150"),
    ("007", "白川小学校", "亀山", "三重県亀山市白木町7-7", "180"),
    ("008", "亀山中学校", "亀山", "三重県亀山市本町8-8", "600"),
    ("009", "関小学校", "関", "三重県亀山市関町木崎9-9", "220"),
    ("010", "加太小学校", "関", "三重県亀山市加太市場10-10", "120"),
    ("011", "関中学校", "関", "三重県亀山市関町新所11-11", "500"),
    ("012", "関文化交流センター", "関", "三重県亀山市関町木崎12-12", "300"),
]
HINANJO_HEADER = ("番号", "施設名", "地区", "所在地", "収容人数")


def hinanjo_csv() -> bytes:
    lines = [",".join(HINANJO_HEADER)] + [",".join(row) for row in HINANJO_ROWS]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@dataclass
class OpenCatalog:
    """What :func:`catalog` made, by short names."""

    city: Municipality
    departments: dict[str, Department]
    groups: dict[str, DatasetGroup]
    datasets: dict[str, Dataset]
    resources: dict[str, Resource] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded files go to a fresh folder per test, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def make_dataset(
    municipality: Municipality,
    department: Department,
    name: str,
    title: str,
    *,
    groups: list[DatasetGroup] | None = None,
    state: str = DatasetState.ACTIVE,
    **fields: Any,
) -> Dataset:
    """A demo dataset, published unless ``state`` says otherwise (``DatasetFactory``)."""
    return DatasetFactory(
        municipality=municipality,
        department=department,
        name=name,
        title=title,
        groups=groups or [],
        state=state,
        is_demo=True,
        **fields,
    )


def publish_file(
    dataset: Dataset, name: str, filename: str, content: bytes, **fields: Any
) -> Resource:
    """A resource with one published version, through upload → check → publish."""
    resource = ResourceFactory(dataset=dataset, name=name, **fields)
    ResourceVersionFactory(resource=resource, filename=filename, content=content)
    resource.refresh_from_db()
    return resource


@pytest.fixture
def catalog(city: Municipality) -> OpenCatalog:
    """亀山市: 4 publishing departments, 3 groups, 5 published datasets, a draft and a
    withdrawn one. 指定避難所一覧 has a CSV (with a datastore table), a PDF and a link.

    In tests whose changes commit (``transactional_db``, ``live_server``), publishing a
    file also makes machi generate the オープンデータ一覧 dataset (``opendata-list``,
    published by 情報政策課 "820" in the group ``gyozaisei``), as in production."""
    somu = DepartmentFactory(municipality=city, code="100", name="総務部")
    bousai = DepartmentFactory(
        municipality=city, code="110", name="防災安全課", name_en="Disaster Prevention", parent=somu
    )
    kodomo = DepartmentFactory(municipality=city, code="220", name="子ども未来課")
    kenko = DepartmentFactory(municipality=city, code="310", name="長寿健康課")
    kanko = DepartmentFactory(municipality=city, code="410", name="観光振興課")
    # machi publishes the generated オープンデータ一覧 as this division (after a commit).
    joho = DepartmentFactory(municipality=city, code="820", name="情報政策課")
    groups = {
        "bousai": DatasetGroupFactory(
            municipality=city, name="bousai", title="防災", title_en="Safety"
        ),
        "kosodate": DatasetGroupFactory(
            municipality=city, name="kosodate", title="子育て", title_en="Childcare"
        ),
        "kanko": DatasetGroupFactory(
            municipality=city, name="kanko", title="観光", title_en="Tourism"
        ),
    }
    datasets = {
        "hinanjo": make_dataset(
            city,
            bousai,
            "hinanjo-ichiran",
            "指定避難所一覧",
            groups=[groups["bousai"]],
            notes="災害時に開設する市内の指定避難所の名称、所在地、想定収容人数。",
            tags=["防災", "避難所"],
            license_id="cc-by-4.0",
            frequency="annual",
            contact_name="防災安全課",
            contact_email="bousai@city.kameyama.example.jp",
            contact_phone="0595-84-5000",
            spatial="三重県亀山市",
            temporal_start="2024-04-01",
            title_en="Designated evacuation shelters",
        ),
        "kinkyu": make_dataset(
            city,
            bousai,
            "kinkyu-hinanbasho",
            "指定緊急避難場所一覧",
            groups=[groups["bousai"]],
            tags=["防災", "避難場所"],
            license_id="pdl-1.0",
        ),
        "aed": make_dataset(
            city,
            kenko,
            "aed-ichiran",
            "AED設置箇所一覧",
            groups=[groups["bousai"]],
            tags=["AED", "医療"],
        ),
        "hoikusho": make_dataset(
            city,
            kodomo,
            "hoikusho-ichiran",
            "保育所一覧",
            groups=[groups["kosodate"]],
            tags=["子育て", "保育"],
        ),
        "toilet": make_dataset(
            city,
            kanko,
            "koshu-toilet",
            "公衆トイレ一覧",
            groups=[groups["kanko"]],
            tags=["観光", "トイレ"],
        ),
        "draft": make_dataset(
            city,
            bousai,
            "hinanjo-shitagaki",
            "避難所 見直し案（下書き）",
            tags=["防災", "避難所"],
            state=DatasetState.DRAFT,
        ),
        "withdrawn": make_dataset(
            city,
            bousai,
            "kyu-hinanjo",
            "旧指定避難所一覧",
            tags=["防災", "避難所"],
            state=DatasetState.DELETED,
        ),
    }
    hinanjo = datasets["hinanjo"]
    resources = {
        "csv": publish_file(hinanjo, "指定避難所一覧（CSV）", "hinanjo.csv", hinanjo_csv()),
        "pdf": publish_file(
            hinanjo, "避難所マップ", "hinanjo-map.pdf", b"%PDF-1.4\n% test map\n", format="PDF"
        ),
        "link": ResourceFactory(
            dataset=hinanjo,
            name="県の防災ページ",
            url="https://www.pref.mie.lg.jp/bousai/",
            format="HTML",
        ),
    }
    for dataset in datasets.values():
        dataset.refresh_from_db()
    return OpenCatalog(
        city=city,
        departments={
            "bousai": bousai,
            "kodomo": kodomo,
            "kenko": kenko,
            "kanko": kanko,
            "joho": joho,
        },
        groups=groups,
        datasets=datasets,
        resources=resources,
    )


@pytest.fixture
def other_catalog(other_city: Municipality) -> Dataset:
    """鈴鹿市 (served on suzuka.example.jp) publishes its own 指定避難所一覧."""
    bousai = DepartmentFactory(municipality=other_city, code="110", name="防災危機管理課")
    return make_dataset(
        other_city, bousai, "suzuka-hinanjo", "鈴鹿市 指定避難所一覧", tags=["防災", "避難所"]
    )
