"""Scenario menus (``machi-scenario/1``): a start node and nodes of choices. Each choice
goes to another node (``next``), shows a short answer (``answer``), shows a FAQ entry's
answer (``faq``: its id) or links to a page (``url``: a path on this site or https).

    {"format": "machi-scenario/1", "start": "item",
     "nodes": {"item": {"text": "何を出しますか？",
                        "options": [{"label": "粗大ごみ", "next": "sodai"}, …]}, …}}

Every problem is reported with its place (``nodes.item.options[2]``), so staff fix them all
at once; an invalid menu is never saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.utils.translation import gettext as _

FORMAT: Final = "machi-scenario/1"
KINDS: Final = ("next", "answer", "faq", "url")
MAX_OPTIONS: Final = 8


@dataclass(frozen=True)
class Option:
    label: str
    kind: str
    value: str


@dataclass(frozen=True)
class Node:
    key: str
    text: str
    options: tuple[Option, ...]


def _option_problems(path: str, raw: Any, nodes: dict[str, Any]) -> list[str]:
    if not isinstance(raw, dict):
        return [_("%(path)s: a choice must be an object") % {"path": path}]
    problems = []
    label = raw.get("label")
    if not isinstance(label, str) or not 1 <= len(label.strip()) <= 40:
        problems.append(_("%(path)s.label: 1 to 40 characters") % {"path": path})
    kinds = [kind for kind in KINDS if kind in raw]
    if len(kinds) != 1:
        problems.append(
            _("%(path)s: give exactly one of next, answer, faq or url") % {"path": path}
        )
        return problems
    value = raw[kinds[0]]
    if not isinstance(value, str) or not value.strip():
        problems.append(_("%(path)s.%(kind)s: must be text") % {"path": path, "kind": kinds[0]})
    elif kinds[0] == "next" and value not in nodes:
        problems.append(
            _("%(path)s.next: there is no node %(node)s") % {"path": path, "node": value}
        )
    elif kinds[0] == "url" and not (value.startswith("/") or value.startswith("https://")):
        problems.append(
            _("%(path)s.url: a path on this site (/…) or an https:// address") % {"path": path}
        )
    elif kinds[0] == "answer" and len(value) > 2000:
        problems.append(_("%(path)s.answer: at most 2000 characters") % {"path": path})
    return problems


def scenario_problems(definition: Any) -> list[str]:
    if not isinstance(definition, dict) or definition.get("format") != FORMAT:
        return [_('format: must be "%(format)s"') % {"format": FORMAT}]
    nodes = definition.get("nodes")
    if not isinstance(nodes, dict) or not nodes:
        return [_("nodes: at least one node")]
    problems = []
    start = definition.get("start")
    if start not in nodes:
        problems.append(_("start: must name one of the nodes"))
    for key, node in nodes.items():
        path = f"nodes.{key}"
        if not isinstance(node, dict):
            problems.append(_("%(path)s: a node must be an object") % {"path": path})
            continue
        text = node.get("text")
        if not isinstance(text, str) or not 1 <= len(text.strip()) <= 1000:
            problems.append(_("%(path)s.text: 1 to 1000 characters") % {"path": path})
        options = node.get("options")
        if not isinstance(options, list) or not 1 <= len(options) <= MAX_OPTIONS:
            problems.append(
                _("%(path)s.options: 1 to %(max)s choices") % {"path": path, "max": MAX_OPTIONS}
            )
            continue
        for index, option in enumerate(options):
            problems += _option_problems(f"{path}.options[{index}]", option, nodes)
    if not problems:
        unreachable = set(nodes) - _reachable(definition)
        if unreachable:
            problems.append(
                _("nodes: never reached from the start: %(nodes)s")
                % {"nodes": ", ".join(sorted(unreachable))}
            )
    return problems


def _reachable(definition: dict[str, Any]) -> set[str]:
    seen: set[str] = set()
    todo = [definition["start"]]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo += [o["next"] for o in definition["nodes"][key]["options"] if "next" in o]
    return seen


def node_of(definition: dict[str, Any], key: str | None = None) -> Node | None:
    """The node ``key`` (the start node by default) of a valid definition."""
    key = key or definition["start"]
    raw = definition["nodes"].get(key)
    if raw is None:
        return None
    options = []
    for option in raw["options"]:
        kind = next(k for k in KINDS if k in option)
        options.append(Option(option["label"], kind, option[kind]))
    return Node(key, raw["text"], tuple(options))
