"""A municipality's own search tuning (``faq_fit --municipality … --save``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from machi.assistant.engine import Tuning
from machi.assistant.models import SearchTuning
from machi.core.models import Municipality


def search_tuning_save(*, code: str, channels: str, tuning: Tuning) -> SearchTuning:
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise ValidationError(f"no municipality {code} (自治体がありません)")
    row, _created = SearchTuning.objects.update_or_create(
        municipality=municipality, channels=channels, defaults={"data": tuning.as_dict()}
    )
    return row
