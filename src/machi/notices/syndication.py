"""What the feeds and the JSON API say about a notice beyond its own fields: who wrote it,
its title and text in the reader's language, and how much of it a feed carries."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from machi.core.localized import localized
from machi.notices.models import Notice

#: The newest notices an Atom feed carries.
FEED_LIMIT = 50
#: Characters of plain text in an entry's summary and an event's description.
SUMMARY_LENGTH = 140
DESCRIPTION_LENGTH = 1_000


def author_of(notice: Notice, language: str = "ja") -> str:
    """The department that wrote it, or for a district's own notice its organisation
    (地域まちづくり協議会) as its account was granted, else the district's name."""
    if notice.district_author is None:
        return localized(notice.department, "name", language)
    writer = notice.created_by
    try:
        editor = writer.district_editor if writer is not None else None
    except ObjectDoesNotExist:
        editor = None
    if editor is not None and editor.district_id == notice.district_author_id:
        return editor.organisation
    return localized(notice.district_author, "name", language)


def title_of(notice: Notice, language: str) -> str:
    return localized(notice, "title", language)


def body_of(notice: Notice, language: str) -> str:
    """The Markdown text: the English one on English pages when staff wrote one."""
    return localized(notice, "body", language)
