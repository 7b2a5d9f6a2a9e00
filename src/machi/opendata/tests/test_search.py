"""Catalog search: Japanese partial words, CKAN filters, facets, sort and paging."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machi.opendata.search import (
    CatalogIndex,
    Clause,
    IndexedDataset,
    SearchParameterError,
    SearchQueryError,
    fold,
    parse_filter,
    parse_sort,
)


def doc(
    n: int,
    title: str,
    *,
    tags: tuple[str, ...] = (),
    org: str = "400",
    fmt: str = "CSV",
    state: str = "active",
    notes: str = "",
) -> IndexedDataset:
    return IndexedDataset(
        id=f"id-{n}",
        name=f"ds-{n}",
        title=title,
        tags=tags,
        text=fold(" ".join([title, *tags, notes])),
        title_folded=fold(title),
        tags_folded=fold(" ".join(tags)),
        values={
            "organization": (org,),
            "tags": tags,
            "res_format": (fmt,),
            "groups": (),
            "license_id": ("cc-by-4.0",),
            "name": (f"ds-{n}",),
            "id": (f"id-{n}",),
            "state": (state,),
        },
        state=state,
        metadata_modified=dt.datetime(2026, 1, n, tzinfo=dt.UTC),
        metadata_created=dt.datetime(2025, 1, n, tzinfo=dt.UTC),
    )


@pytest.fixture
def index() -> CatalogIndex:
    return CatalogIndex(
        [
            doc(1, "指定避難所一覧", tags=("防災",)),
            doc(2, "指定緊急避難場所一覧", tags=("防災", "避難所")),
            doc(3, "AED設置箇所一覧", tags=("健康",), org="320"),
            doc(4, "公衆トイレ一覧", tags=("施設",), fmt="PDF", notes="駅と公園のトイレ"),
            doc(5, "下書きの避難所", state="draft"),
        ]
    )


def test_a_partial_japanese_word_finds_longer_titles(index: CatalogIndex) -> None:
    found = index.search(q="避難所")
    assert found.count == 2
    # The title match (3 points) beats the tag match (2 points).
    assert found.ids == ["id-1", "id-2"]


def test_full_width_and_case_do_not_matter(index: CatalogIndex) -> None:
    assert index.search(q="ａｅｄ").ids == ["id-3"]


def test_every_word_must_match(index: CatalogIndex) -> None:
    assert index.search(q="避難 緊急").ids == ["id-2"]
    assert index.search(q="避難 トイレ").count == 0


def test_no_query_returns_everything_published_newest_first(index: CatalogIndex) -> None:
    assert index.search(rows=100).ids == ["id-4", "id-3", "id-2", "id-1"]
    assert index.search(q="*:*").count == 4


def test_drafts_are_found_only_when_asked(index: CatalogIndex) -> None:
    assert index.search(q="下書き").count == 0
    assert index.search(q="下書き", states=("active", "draft")).count == 1


def test_filters_narrow_and_negate(index: CatalogIndex) -> None:
    assert index.search(fq="tags:防災").count == 2
    assert index.search(fq='tags:"防災" -res_format:PDF').count == 2
    assert index.search(fq="-res_format:PDF").count == 3
    assert index.search(fq="organization:(320 OR 400) AND res_format:CSV").count == 3
    assert index.search(q="tags:防災 避難所").count == 2


def test_facets_count_the_matching_datasets(index: CatalogIndex) -> None:
    found = index.search(facet_fields=["organization", "res_format"], facet_limit=1)
    assert found.facets == {"organization": [("400", 3)], "res_format": [("CSV", 3)]}


def test_paging(index: CatalogIndex) -> None:
    first = index.search(rows=3, sort="metadata_created asc")
    second = index.search(rows=3, start=3, sort="metadata_created asc")
    assert first.ids + second.ids == ["id-1", "id-2", "id-3", "id-4"]


@pytest.mark.parametrize("fq", ["tags:", "tags:(", "{!lucene}x", "nosuchfield:1", "防災"])
def test_filters_that_cannot_be_understood_are_refused(index: CatalogIndex, fq: str) -> None:
    with pytest.raises(SearchQueryError):
        index.search(fq=fq)


@pytest.mark.parametrize("sort", ["name", "name up", "popularity desc"])
def test_bad_sort_is_a_parameter_error(sort: str) -> None:
    with pytest.raises(SearchParameterError):
        parse_sort(sort)


def test_unknown_facet_is_a_parameter_error(index: CatalogIndex) -> None:
    with pytest.raises(SearchParameterError):
        index.search(facet_fields=["colour"])


def test_parse_filter_keeps_or_groups_and_signs() -> None:
    assert parse_filter('+tags:"子育て 支援" -organization:(1 OR 2)') == [
        Clause("tags", ("子育て 支援",)),
        Clause("organization", ("1", "2"), negate=True),
    ]


@given(
    st.lists(st.text(alphabet="避難所一覧aA１ ", max_size=12), min_size=1, max_size=8),
    st.text(alphabet="避難所一覧aA１", min_size=1, max_size=3),
)
def test_a_word_finds_exactly_the_datasets_containing_it(titles: list[str], word: str) -> None:
    index = CatalogIndex([doc(n + 1, title) for n, title in enumerate(titles)])
    expected = [f"id-{n + 1}" for n, title in enumerate(titles) if fold(word) in fold(title)]
    found = index.search(q=word, rows=100, sort="metadata_created asc")
    assert found.ids == expected
