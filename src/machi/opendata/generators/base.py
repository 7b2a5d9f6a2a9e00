"""The one interface every generated dataset implements.

A generator says which dataset it keeps (its defaults are used only when the dataset is
created; staff may edit the description afterwards and their edits stay), which
department publishes it, and renders its files for one municipality. Rendering must be
deterministic: the same data gives the same bytes, so publishing can tell "unchanged"
from "changed" by the checksum. Never put the current time into the content.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import ClassVar

from machi.core.models import Department, Municipality
from machi.core.selectors import department_list
from machi.opendata.licenses import DEFAULT_LICENSE


@dataclass(frozen=True)
class GroupSpec:
    """A group (分類) the dataset belongs to; created if the municipality has none by this
    name or title."""

    name: str
    title: str
    title_en: str = ""


@dataclass(frozen=True)
class DatasetDefaults:
    """The dataset's description when machi first creates it."""

    name: str
    title: str
    title_en: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    license_id: str = DEFAULT_LICENSE
    frequency: str = "irregular"


@dataclass(frozen=True)
class GeneratedResource:
    """One file of a generated dataset. ``key`` identifies the resource across runs."""

    key: str
    name: str
    filename: str
    format: str
    content: bytes = field(repr=False)
    schema_name: str = ""
    description: str = ""


class Generator(abc.ABC):
    """Keeps one dataset of a municipality current.

    Subclasses set :attr:`key` (stable forever: it links the dataset to the generator)
    and implement :meth:`defaults` and :meth:`resources`.
    """

    key: ClassVar[str]
    #: Generators run in this order (lower first); a generator that describes the others
    #: (the オープンデータ一覧) runs last so it sees their latest versions.
    order: ClassVar[int] = 100
    #: Words looked for, in this order, in department names when choosing the publisher.
    publisher_hints: ClassVar[tuple[str, ...]] = ("デジタル", "DX", "情報", "企画", "政策")

    @abc.abstractmethod
    def defaults(self, municipality: Municipality) -> DatasetDefaults:
        """The dataset's name, title, description, tags, groups, licence and frequency."""

    @abc.abstractmethod
    def resources(self, municipality: Municipality) -> list[GeneratedResource]:
        """The files, rendered from the municipality's data. An empty list means there is
        nothing to publish yet (the dataset is not created)."""

    def publisher(self, municipality: Municipality) -> Department | None:
        """The department that publishes the dataset when it is created: the first division
        whose name contains one of :attr:`publisher_hints`, else the first by code."""
        # Divisions (課) before departments (部), then by code.
        departments = sorted(
            department_list(municipality=municipality),
            key=lambda d: (d.parent_id is None, d.code),
        )
        for hint in self.publisher_hints:
            for department in departments:
                if hint.casefold() in department.name.casefold():
                    return department
        return departments[0] if departments else None


LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "testserver")


def site_url(municipality: Municipality) -> str:
    """The portal's address for links inside generated files, where there is no request:
    the municipality's first public host name (https), else its first host (http)."""
    hosts = list(municipality.domains.order_by("id").values_list("host", flat=True))
    for host in hosts:
        if host not in LOCAL_HOSTS and not host.endswith(".localhost"):
            return f"https://{host}"
    return f"http://{hosts[0]}" if hosts else ""
