"""The read actions of CKAN's Action API, one function each, over the tenant's catalog.

Every action takes the request :class:`~machi.opendata.ckan.serializers.Context` and the
``data_dict`` and returns the ``result``; errors are the exceptions in
:mod:`machi.opendata.ckan.errors`. Defaults and limits are CKAN 2.11's
(``ckan/logic/action/get.py``, ``ckan/logic/schema.py``): ``package_search`` gives 10
rows unless asked and at most 1000, lists of organisations and groups at most 1000 names
or 25 full records. The API is read-only and anonymous: write actions are known (so a GET
gets CKAN's "use POST" answer) but refused as not authorised.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from machi.opendata import search, selectors
from machi.opendata.ckan import datastore, serializers
from machi.opendata.ckan.errors import NotAuthorized, NotFound, SearchError, SearchQueryError
from machi.opendata.ckan.params import Params
from machi.opendata.ckan.serializers import Context
from machi.opendata.models import DatasetGroup

ActionFunction = Callable[[Context, dict[str, Any]], Any]

ROWS_DEFAULT = 10
ROWS_MAX = 1000  # ckan.search.rows_max
FACET_LIMIT_DEFAULT = 50  # search.facets.limit
LIST_MAX = 1000  # ckan.group_and_organization_list_max
LIST_ALL_FIELDS_MAX = 25  # ckan.group_and_organization_list_all_fields_max
GROUP_PACKAGES = 10  # organization_show/group_show list package_search's default page

#: Parameters package_search passes to Solr in CKAN; machi accepts the tuning ones and
#: ignores them. Anything else is CKAN's "Search Error: Invalid search parameters".
SOLR_TUNING = ("qf", "bf", "boost", "tie", "defType", "mm", "df", "wt", "extras", "q.op")
PRIVATE_FLAGS = ("include_private", "include_drafts", "include_deleted", "use_default_schema")


@dataclass(frozen=True)
class Action:
    name: str
    function: ActionFunction
    side_effect_free: bool


ACTIONS: dict[str, Action] = {}


def _read_action(function: ActionFunction) -> ActionFunction:
    ACTIONS[function.__name__] = Action(function.__name__, function, side_effect_free=True)
    return function


def _refused(context: Context, data: dict[str, Any]) -> Any:
    """This portal's API is read-only: publish through the staff pages."""
    raise NotAuthorized(
        "This API is read-only. Datasets are published by city staff in machi's staff pages."
    )


#: CKAN's write actions: known (GET on them is CKAN's 400, POST is refused with 403).
WRITE_ACTIONS = (
    "package_create",
    "package_update",
    "package_patch",
    "package_delete",
    "package_revise",
    "dataset_purge",
    "resource_create",
    "resource_update",
    "resource_patch",
    "resource_delete",
    "organization_create",
    "organization_update",
    "organization_patch",
    "organization_delete",
    "organization_member_create",
    "group_create",
    "group_update",
    "group_patch",
    "group_delete",
    "group_member_create",
    "member_create",
    "user_create",
    "datastore_create",
    "datastore_upsert",
    "datastore_delete",
)
for _name in WRITE_ACTIONS:
    ACTIONS[_name] = Action(_name, _refused, side_effect_free=False)


def _index(ctx: Context) -> search.CatalogIndex:
    return selectors.catalog_index(ctx.municipality)


def _search(ctx: Context, **kwargs: Any) -> search.SearchResult:
    try:
        return _index(ctx).search(**kwargs)
    except search.SearchQueryError as exc:
        raise SearchQueryError(str(exc)) from exc
    except search.SearchParameterError as exc:
        raise SearchError(str(exc)) from exc


def _packages(ctx: Context, ids: Sequence[str]) -> list[dict[str, Any]]:
    return [
        serializers.package_dict(ctx, d)
        for d in selectors.datasets_by_ids(ctx.municipality, list(ids))
    ]


@_read_action
def status_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return the site's version, title and extensions, like CKAN's ``status_show``."""
    municipality = ctx.municipality
    return {
        "ckan_version": "2.11.0",
        "site_url": ctx.site_url,
        "site_title": f"{municipality.name} オープンデータ",
        "site_description": f"{municipality.prefecture}{municipality.name}のオープンデータカタログ",
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["datastore", "dcat"],
    }


@_read_action
def package_list(ctx: Context, data: dict[str, Any]) -> list[str]:
    """Return the names of the published datasets, in name order.

    :param limit: how many names (default: all)
    :param offset: how many to skip
    """
    params = Params(data)
    limit = params.natural("limit")
    offset = params.natural("offset", 0) or 0
    params.check()
    return selectors.dataset_names(ctx.municipality, limit=limit, offset=offset)


@_read_action
def package_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return one published dataset with its resources, organisation, groups and tags.

    :param id: the dataset's name or id
    """
    params = Params(data)
    key = params.required("id", "name_or_id")
    params.check()
    dataset = selectors.dataset_find(ctx.municipality, key)
    if dataset is None:
        raise NotFound("Dataset not found")
    return serializers.package_dict(ctx, dataset)


@_read_action
def package_search(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Search the published datasets. Japanese words match inside longer words.

    :param q: words, or ``field:value`` (default ``*:*``, everything)
    :param fq: filter such as ``tags:防災 organization:"110"``; ``fq_list``: several
    :param sort: e.g. ``metadata_modified desc`` (default ``score desc, metadata_modified desc``)
    :param rows: results per page (default 10, at most 1000); ``start``: results to skip
    :param facet.field: JSON list of fields to count (organization, groups, tags,
        res_format, license_id); ``facet.limit`` (default 50, -1 for all), ``facet.mincount``
    :param fl: only these keys of each result (list, or names separated by commas)
    """
    params = Params(data)
    q = params.string("q") or "*:*"
    fq = params.string("fq") or ""
    fq_list = params.string_list("fq_list") or []
    rows = params.natural("rows", ROWS_DEFAULT)
    start = params.natural("start", 0) or 0
    sort = params.string("sort") or search.DEFAULT_SORT
    facet = params.boolean("facet", True)
    facet_mincount = params.natural("facet.mincount", 1)
    facet_limit = params.integer("facet.limit", FACET_LIMIT_DEFAULT)
    facet_fields = _facet_fields(params)
    fl = params.field_names("fl")
    params.accept(*SOLR_TUNING, *PRIVATE_FLAGS)
    params.check()
    unknown = params.unknown()
    if unknown:
        raise SearchError(f"Invalid search parameters: {unknown}")
    rows = min(ROWS_DEFAULT if rows is None else rows, ROWS_MAX)
    fields = facet_fields if facet else []
    found = _search(
        ctx,
        q=q,
        fq=" ".join(part for part in (fq, *fq_list) if part.strip()),
        sort=sort,
        start=start,
        rows=rows,
        facet_fields=fields,
        facet_limit=FACET_LIMIT_DEFAULT if facet_limit is None else facet_limit,
        facet_mincount=1 if facet_mincount is None else facet_mincount,
    )
    results = _packages(ctx, found.ids)
    if fl:
        results = [{k: r[k] for k in fl if k in r} for r in results]
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, dict[str, Any]] = {}
    for field, items in found.facets.items():
        names = selectors.facet_labels(ctx.municipality, field, [value for value, _c in items])
        facets[field] = dict(items)
        search_facets[field] = {
            "title": field,
            "items": [
                {"count": count, "display_name": names.get(value, value), "name": value}
                for value, count in items
            ],
        }
    return {
        "count": found.count,
        "results": results,
        "sort": sort,
        "facets": facets,
        "search_facets": search_facets,
    }


def _facet_fields(params: Params) -> list[str]:
    """``facet.field`` is a JSON list (CKAN). A bare field name, as a query string carries
    a one-item list, is read as that list; any other bare text is CKAN's Validation Error."""
    raw = params.data.get("facet.field")
    if isinstance(raw, str) and raw.strip() in search.FACET_FIELDS:
        params.seen.add("facet.field")
        return [raw.strip()]
    return params.string_list("facet.field", json_string=True) or []


def _list_params(params: Params) -> tuple[str, bool, int, int, bool]:
    sort = (params.string("sort") or "title asc").strip()
    all_fields = params.boolean("all_fields")
    limit = params.natural("limit")
    offset = params.natural("offset", 0) or 0
    include_count = params.boolean("include_dataset_count", True)
    bits = sort.split()
    if not bits or bits[0] not in ("name", "title", "package_count", "packages"):
        params.error("sort", f"Cannot sort by field `{bits[0] if bits else sort}`")
    elif len(bits) > 2 or (len(bits) == 2 and bits[1].lower() not in ("asc", "desc")):
        params.error("sort", f"Invalid sort direction: {' '.join(bits[1:])}")
    params.check()
    cap = LIST_ALL_FIELDS_MAX if all_fields else LIST_MAX
    limit = cap if limit is None or limit > cap else limit
    return sort, all_fields, limit, offset, include_count


def _ordered(rows: list[Any], sort: str, title: Callable[[Any], str]) -> list[Any]:
    bits = sort.split()
    descending = len(bits) == 2 and bits[1].lower() == "desc"
    if bits[0] in ("package_count", "packages"):
        key: Callable[[Any], Any] = lambda r: (r.package_count, title(r))  # noqa: E731
    elif bits[0] == "name":
        key = lambda r: r.name_key  # noqa: E731
    else:
        key = lambda r: title(r)  # noqa: E731
    return sorted(rows, key=key, reverse=descending)


def _filter_rows(params: Params, rows: list[Any], names: Callable[[Any], str]) -> list[Any]:
    wanted = params.string_list("groups") or params.string_list("organizations")
    if wanted:
        rows = [r for r in rows if names(r) in wanted]
    q = params.string("q")
    if q and q.strip():
        needle = search.fold(q.strip())
        rows = [r for r in rows if needle in search.fold(f"{names(r)} {r.search_text}")]
    return rows


@_read_action
def organization_list(ctx: Context, data: dict[str, Any]) -> list[Any]:
    """Return the organisations (departments that publish a dataset): names, or records
    with ``all_fields``.

    :param sort: ``title``, ``name`` or ``package_count``, with asc/desc (default title asc)
    :param limit: at most 1000 names or 25 records; ``offset``
    :param q: only organisations whose name or title contains this
    """
    params = Params(data)
    departments = selectors.publishers_with_counts(ctx.municipality)
    for d in departments:
        d.name_key = selectors.organization_name(d)  # type: ignore[attr-defined]
        d.search_text = f"{d} {d.name_en}"  # type: ignore[attr-defined]
    rows = _filter_rows(params, departments, lambda d: d.name_key)
    sort, all_fields, limit, offset, include_count = _list_params(params)
    rows = _ordered(rows, sort, str)[offset : offset + limit]
    if not all_fields:
        return [d.name_key for d in rows]
    return [
        serializers.organization_dict(d, package_count=d.package_count if include_count else None)
        for d in rows
    ]


@_read_action
def group_list(ctx: Context, data: dict[str, Any]) -> list[Any]:
    """Return the groups (分類): names, or records with ``all_fields``.

    :param sort: ``title``, ``name`` or ``package_count``, with asc/desc (default title asc)
    :param limit: at most 1000 names or 25 records; ``offset``
    """
    params = Params(data)
    groups = list(selectors.groups_with_counts(ctx.municipality))
    for g in groups:
        g.name_key = g.name  # type: ignore[attr-defined]
        g.search_text = f"{g.title} {g.title_en} {g.description}"  # type: ignore[attr-defined]
    rows = _filter_rows(params, groups, lambda g: g.name)
    sort, all_fields, limit, offset, include_count = _list_params(params)
    rows = _ordered(rows, sort, lambda g: g.title)[offset : offset + limit]
    if not all_fields:
        return [g.name for g in rows]
    return [
        serializers.group_dict(g, package_count=g.package_count if include_count else None)
        for g in rows
    ]


def _members(ctx: Context, fq: str, include: bool) -> tuple[int, list[dict[str, Any]]]:
    found = _search(ctx, fq=fq, rows=GROUP_PACKAGES if include else 0)
    return found.count, _packages(ctx, found.ids) if include else []


@_read_action
def organization_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return one organisation. With ``include_datasets`` it lists the first 10 of its
    datasets, as CKAN does; page through ``package_search`` with
    ``fq=organization:<name>`` for all of them.

    :param id: the organisation's name (department code) or id
    """
    params = Params(data)
    key = params.required("id")
    include = params.boolean("include_datasets")
    params.check()
    department = selectors.publisher_find(ctx.municipality, key)
    if department is None:
        raise NotFound("Organization was not found.")
    name = selectors.organization_name(department)
    count, packages = _members(ctx, f'organization:"{name}"', include)
    if count == 0:
        raise NotFound("Organization was not found.")
    result = serializers.organization_dict(department, package_count=count)
    if include:
        result["packages"] = packages
    return result


@_read_action
def group_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return one group. With ``include_datasets`` it lists the first 10 of its datasets.

    :param id: the group's name or id
    """
    params = Params(data)
    key = params.required("id")
    include = params.boolean("include_datasets")
    params.check()
    groups = DatasetGroup.objects.filter(municipality=ctx.municipality)
    group = groups.filter(name=key).first()
    if group is None:
        group = next((g for g in groups if str(g.pk) == key), None)
    if group is None:
        raise NotFound("Group was not found.")
    count, packages = _members(ctx, f'groups:"{group.name}"', include)
    result = serializers.group_dict(group, package_count=count)
    if include:
        result["packages"] = packages
    return result


@_read_action
def tag_list(ctx: Context, data: dict[str, Any]) -> list[Any]:
    """Return the tags of the published datasets.

    :param query: only tags containing this
    :param all_fields: records instead of names
    """
    params = Params(data)
    query = params.string("query")
    all_fields = params.boolean("all_fields")
    params.accept("vocabulary_id")
    params.check()
    tags = _index(ctx).tags()
    if query and query.strip():
        needle = search.fold(query.strip())
        tags = [t for t in tags if needle in search.fold(t)]
    if all_fields:
        return [serializers.tag_dict(ctx.municipality, t) for t in tags]
    return tags


@_read_action
def license_list(ctx: Context, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the licences a dataset can carry."""
    return serializers.licenses()


@_read_action
def resource_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return one resource of a published dataset.

    :param id: the resource's id
    """
    params = Params(data)
    key = params.required("id")
    params.check()
    resource = selectors.resource_find(ctx.municipality, key)
    if resource is None or not serializers.is_listed(resource):
        raise NotFound("Resource was not found.")
    dataset = selectors.dataset_find(ctx.municipality, str(resource.dataset_id))
    if dataset is None:
        raise NotFound("Resource was not found.")
    listed = [r for r in dataset.resources.all() if serializers.is_listed(r)]
    position = next(i for i, r in enumerate(listed) if r.pk == resource.pk)
    return serializers.resource_dict(ctx, listed[position], dataset, position)


@_read_action
def datastore_search(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Search the rows of a tabular resource.

    :param resource_id: the resource's id
    :param filters: ``{"column": "value"}`` or ``{"column": ["a", "b"]}``
    :param q: text found in any column, or ``{"column": "text"}``
    :param fields: columns to return; ``sort``: ``"column asc, other desc"``
    :param limit: rows (default 100, at most 32000); ``offset``; ``include_total``
    :param records_format: ``objects`` (default), ``lists``, ``csv`` or ``tsv``
    """
    return datastore.datastore_search(ctx, data)


@_read_action
def help_show(ctx: Context, data: dict[str, Any]) -> str:
    """Return the help text of an action.

    :param name: the action's name
    """
    params = Params(data)
    name = params.required("name")
    params.check()
    found = ACTIONS.get(name)
    if found is None:
        raise NotFound("Action function not found")
    return inspect.getdoc(found.function) or ""
