"""オープンデータ一覧 (the open data list) from the catalog, in the standard layout.

The layout is the 自治体標準オープンデータセット's.

Columns are exactly those of the ``open-data-list`` Table Schema, in its order, with
全国地方公共団体コード, ID and 地方公共団体名 first; the CSV is UTF-8 with BOM so Excel opens
it in Japanese. One row per published dataset of the municipality that has something to
download (a published file or a link), this list included; a dataset in no group is
classed as その他, since 分類 is required.

Re-running must not add a version when nothing changed, so nothing in the file depends on
the time of the run or on this generator's own publishing: a dataset's 最終更新日 is the
date its newest file version was published (for this list itself, the date it was
created), and its ID is its name, which never changes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from machi.core.csv_files import safe_csv_bytes
from machi.core.models import Municipality
from machi.opendata import selectors
from machi.opendata.dcat import Addresses
from machi.opendata.generators.base import (
    DatasetDefaults,
    GeneratedResource,
    Generator,
    GroupSpec,
    site_url,
)
from machi.opendata.licenses import BY_ID
from machi.opendata.models import Dataset, DatasetState

SCHEMA_NAME = "open-data-list"
OWN_FORMATS = ("CSV", "JSON")

FREQUENCY_JA = {
    "continuous": "随時",
    "daily": "毎日",
    "weekly": "毎週",
    "monthly": "毎月",
    "quarterly": "四半期ごと",
    "annual": "毎年",
    "irregular": "不定期",
}

#: 分類 for a dataset in no group (the column is required).
NO_GROUP = "その他"


def schema_header() -> tuple[str, ...]:
    """The column names of the open-data-list schema, in order."""
    from machi.opendata.table_schemas import load_schema

    return tuple(load_schema(SCHEMA_NAME).field_names)


def _local_date(value: dt.datetime) -> str:
    return timezone.localtime(value).date().isoformat()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _formats(dataset: Dataset) -> list[str]:
    found = set()
    for resource in dataset.resources.all():
        if resource.format and (selectors.current_version(resource) or resource.url):
            found.add(resource.format.upper())
    return sorted(found)


def _last_published(dataset: Dataset) -> dt.datetime:
    published = [
        version.published_at
        for resource in dataset.resources.all()
        if (version := selectors.current_version(resource)) and version.published_at
    ]
    return max(published) if published else dataset.modified_at


def dataset_values(
    dataset: Dataset,
    municipality: Municipality,
    urls: Addresses | None,
    *,
    formats: list[str],
    last_updated: dt.datetime,
) -> dict[str, str]:
    """One row of the list, by column name."""
    groups = [g.title for g in dataset.groups.all()]
    license_found = BY_ID.get(dataset.license_id)
    return {
        "全国地方公共団体コード": municipality.code,
        "ID": dataset.name,  # never changes, unique in the municipality
        "地方公共団体名": str(municipality),
        "データ名称": dataset.title,
        "データ概要": _one_line(dataset.notes),
        "データ形式": ";".join(formats),
        "分類": ";".join(groups) or NO_GROUP,
        "更新頻度": FREQUENCY_JA.get(dataset.frequency, ""),
        "URL": urls.dataset(dataset) if urls else "",
        # Tables can also be read row by row through datastore_search.
        "API対応有無": "有" if {"CSV", "TSV"} & set(formats) else "無",
        "ライセンス": license_found.title if license_found else dataset.license_id,
        "登録日": _local_date(dataset.created_at),
        "最終更新日": _local_date(last_updated),
        "備考": "デモデータ" if dataset.is_demo else "",
    }


class DatasetListGenerator(Generator):
    key = "dataset-list"
    order = 1000  # after the other generators, so their new versions are listed

    def defaults(self, municipality: Municipality) -> DatasetDefaults:
        return DatasetDefaults(
            name="opendata-list",
            title="オープンデータ一覧",
            title_en="List of open data",
            notes=(
                f"{municipality}が公開しているオープンデータの一覧です"
                "（自治体標準オープンデータセット「オープンデータ一覧」の形式）。"
                "カタログから自動で作成し、データセットの公開・更新に合わせて更新されます。\n\n"
                "Every open dataset the municipality publishes, in the national standard"
                " layout, generated from the catalog and kept current automatically."
            ),
            tags=("オープンデータ", "データカタログ", "自治体標準オープンデータセット"),
            groups=(GroupSpec("gyozaisei", "行財政", "Administration and finance"),),
            frequency="continuous",
        )

    def rows(self, municipality: Municipality) -> tuple[Sequence[str], list[list[str]], int]:
        """The header, the rows, and how many rows describe datasets other than this list."""
        header = schema_header()
        base = site_url(municipality)
        urls = Addresses(base) if base else None
        datasets = (
            selectors.datasets_with_details(municipality)
            .filter(state=DatasetState.ACTIVE)
            .order_by("name")
        )
        rows = []
        others = 0
        for dataset in datasets:
            if dataset.generator == self.key:
                # This list itself: what it is about to publish, dated by its creation,
                # so publishing it does not change it.
                formats, last_updated = sorted(OWN_FORMATS), dataset.created_at
            else:
                formats, last_updated = _formats(dataset), _last_published(dataset)
            if not formats:
                continue  # nothing to download yet
            values = dataset_values(
                dataset, municipality, urls, formats=formats, last_updated=last_updated
            )
            rows.append([values[column] for column in header])
            others += dataset.generator != self.key
        return header, rows, others

    def resources(self, municipality: Municipality) -> list[GeneratedResource]:
        header, rows, others = self.rows(municipality)
        if not others:
            return []  # nothing else is published: no list yet
        records: list[dict[str, Any]] = [dict(zip(header, row, strict=True)) for row in rows]
        return [
            GeneratedResource(
                key="list-csv",
                name="オープンデータ一覧（CSV）",
                filename=f"{municipality.code}_opendata_list.csv",
                format="CSV",
                content=safe_csv_bytes(rows, header),
                schema_name=SCHEMA_NAME,
                description="UTF-8（BOM付き）／ UTF-8 with BOM",
            ),
            GeneratedResource(
                key="list-json",
                name="オープンデータ一覧（JSON）",
                filename=f"{municipality.code}_opendata_list.json",
                format="JSON",
                content=json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8"),
            ),
        ]
