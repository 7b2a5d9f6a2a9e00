"""What the resource page shows of a table: its first rows, and its places on a map.

The checked copy of a table (``ResourceVersion.table_file``, Parquet of strings) is read,
never the uploaded bytes again. A table with 緯度 and 経度 columns (or latitude/longitude)
becomes map points; the 名称 column names each point. Coordinates outside Japan's bounds
or not numbers are left off the map (the validator reports them).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import polars as pl

from machi.core.japanese.normalize import nfkc
from machi.opendata.models import ResourceVersion

PREVIEW_ROWS = 20
MAP_POINTS = 1000

# Sanity bounds of Japan (decimal degrees), as the validator checks them.
LATITUDE_RANGE = (20.0, 46.0)
LONGITUDE_RANGE = (122.0, 154.0)

_LATITUDE_NAMES = ("緯度", "latitude", "lat")
_LONGITUDE_NAMES = ("経度", "longitude", "lon", "lng", "long")
_NAME_NAMES = ("名称", "name", "施設名", "名前")


@dataclass(frozen=True)
class TablePreview:
    columns: list[str]
    rows: list[list[str]]
    total_rows: int | None

    @property
    def shown(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class CoordinateColumns:
    latitude: str
    longitude: str
    name: str | None


def _key(header: str) -> str:
    return nfkc(header).strip().lower()


def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    keys = {_key(c): c for c in reversed(columns)}
    for name in names:
        if name in keys:
            return keys[name]
    return None


def coordinate_columns(columns: list[str]) -> CoordinateColumns | None:
    """The latitude, longitude and name columns of a table, if it has coordinates."""
    latitude = _find(columns, _LATITUDE_NAMES)
    longitude = _find(columns, _LONGITUDE_NAMES)
    if latitude is None or longitude is None:
        return None
    name = _find(columns, _NAME_NAMES) or next((c for c in columns if "名称" in _key(c)), None)
    return CoordinateColumns(latitude, longitude, name)


def _read(version: ResourceVersion, columns: list[str] | None, rows: int) -> pl.DataFrame | None:
    if not version.table_file:
        return None
    try:
        source: Any = version.table_file.path
    except NotImplementedError:  # storage without local files (object storage)
        with version.table_file.open("rb") as handle:
            source = io.BytesIO(handle.read())
    try:
        return pl.read_parquet(source, columns=columns, n_rows=rows)
    except (OSError, pl.exceptions.PolarsError):
        return None


def _text(value: object) -> str:
    return "" if value is None else str(value)


def table_preview(version: ResourceVersion | None, rows: int = PREVIEW_ROWS) -> TablePreview | None:
    """The first ``rows`` rows of a checked table, or ``None`` when it is not a table."""
    if version is None:
        return None
    frame = _read(version, None, rows)
    if frame is None:
        return None
    return TablePreview(
        columns=list(frame.columns),
        rows=[[_text(v) for v in row] for row in frame.iter_rows()],
        total_rows=version.row_count,
    )


def _degrees(value: object, bounds: tuple[float, float]) -> float | None:
    try:
        number = float(nfkc(_text(value)).strip())
    except ValueError:
        return None
    return number if bounds[0] <= number <= bounds[1] else None


def map_points(version: ResourceVersion | None, limit: int = MAP_POINTS) -> list[dict[str, Any]]:
    """Places of a table with 緯度/経度 columns: ``[{"lat", "lon", "name"}]``, at most ``limit``."""
    if version is None or not version.columns:
        return []
    found = coordinate_columns([str(c) for c in version.columns])
    if found is None:
        return []
    wanted = [found.latitude, found.longitude] + ([found.name] if found.name else [])
    frame = _read(version, wanted, limit)
    if frame is None:
        return []
    points = []
    for row in frame.iter_rows(named=True):
        lat = _degrees(row[found.latitude], LATITUDE_RANGE)
        lon = _degrees(row[found.longitude], LONGITUDE_RANGE)
        if lat is None or lon is None:
            continue
        name = _text(row[found.name]) if found.name else ""
        points.append({"lat": lat, "lon": lon, "name": name})
    return points
