"""The back office works on applications made through the procedures app's test catalog."""

from machi.procedures.tests.conftest import _media_in_tmp, catalog

__all__ = ["_media_in_tmp", "catalog"]
