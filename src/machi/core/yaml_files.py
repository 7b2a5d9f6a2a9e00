"""Reading YAML data files (catalogs, scenario menus) with libyaml's parser when PyYAML
was built with it: the pure-Python parser takes about a second for the demo's procedure
catalog, the C one a tenth of that. Both are safe loaders (no Python objects)."""

from __future__ import annotations

from typing import Any

import yaml

_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_safe_load(text: str) -> Any:
    """``yaml.safe_load``, faster; raises ``yaml.YAMLError`` on bad YAML as it does."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
