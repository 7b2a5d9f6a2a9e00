"""The chat tests link answers to procedures of the procedures app's test catalog."""

from machi.procedures.tests.conftest import _media_in_tmp, catalog

__all__ = ["_media_in_tmp", "catalog"]
