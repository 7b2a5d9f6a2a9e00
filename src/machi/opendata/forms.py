"""Forms of the open data staff pages. They only parse input; the services check and save."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from machi.core.examples import with_examples_lazy
from machi.core.forms import ServiceErrorsMixin
from machi.core.japanese.errors import JapaneseInputError
from machi.core.japanese.wareki import parse_date
from machi.core.localized import localized
from machi.core.models import Department
from machi.core.templatetags.content import needs_mark
from machi.opendata.licenses import FREQUENCIES, LICENSES, license_title
from machi.opendata.models import DatasetGroup
from machi.opendata.services.resources import max_upload_bytes


class ContentTextarea(forms.Textarea):
    """A text area whose text is content: Japanese text is marked ``lang="ja"`` on pages
    in another language, so screen readers read it in a Japanese voice."""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if value and needs_mark(value):
            context["widget"]["attrs"]["lang"] = "ja"
        return context


class ContentSelect(forms.Select):
    """A select whose choices are content (department names): a Japanese one is marked
    ``lang="ja"`` on pages in another language."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if needs_mark(option["label"]):
            option["attrs"]["lang"] = "ja"
        return option


class GroupChoiceField(forms.ModelMultipleChoiceField):
    """Groups by their title in the page's language (title_en on English pages)."""

    def label_from_instance(self, obj: Any) -> str:
        return localized(obj, "title", get_language() or "ja")


class JapaneseDateField(forms.CharField):
    """A date typed as 令和8年4月1日, R8.4.1 or 2026-04-01; cleaned to a ``date``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "help_text",
            with_examples_lazy(
                _("For example %(era)s, R8.4.1 or 2026-04-01."), era="令和8年4月1日"
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    def clean(self, value: Any) -> dt.date | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except JapaneseInputError as exc:
            raise ValidationError(exc.message, code=exc.code) from None


class DatasetForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Name in addresses (URL)"),
        max_length=100,
        help_text=_(
            "Lowercase letters, digits, - and _, for example hinanjo-ichiran. "
            "It cannot be changed later, because API clients use it."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    title = forms.CharField(label=_("Dataset title"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Description"),
        required=False,
        widget=ContentTextarea(attrs={"rows": 5}),
        help_text=_("What the data is, where it comes from and how often it changes."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=with_examples_lazy(
            _("Separated by commas, for example %(first)s, %(second)s."),
            first="防災",
            second="避難所",
        ),
    )
    groups = GroupChoiceField(
        label=_("Groups"),
        queryset=DatasetGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    department = forms.ModelChoiceField(
        label=_("Publisher (department)"),
        queryset=Department.objects.none(),
        widget=ContentSelect,
    )
    license_id = forms.ChoiceField(
        label=_("Licence"), choices=[(lic.id, lic.title) for lic in LICENSES]
    )
    frequency = forms.ChoiceField(label=_("Update frequency"), choices=FREQUENCIES)
    contact_name = forms.CharField(
        label=_("Contact"),
        max_length=200,
        required=False,
        help_text=_("The section people can ask about the data."),
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(
        label=_("Contact telephone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    spatial = forms.CharField(
        label=_("Area covered"),
        max_length=200,
        required=False,
        help_text=with_examples_lazy(_("For example %(area)s."), area="亀山市全域"),
    )
    temporal_start = JapaneseDateField(label=_("Covers from"), required=False)
    temporal_end = JapaneseDateField(label=_("Covers until"), required=False)

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[DatasetGroup],
        departments: QuerySet[Department],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["groups"].queryset = groups
        fields["department"].queryset = departments
        # The licences' own names, in the page's language (the class-level list is Japanese).
        fields["license_id"].choices = [
            (lic.id, license_title(lic.id, get_language() or "ja")) for lic in LICENSES
        ]
        if editing:
            del self.fields["name"]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values under the names the catalog services take."""
        data = dict(self.cleaned_data)
        data.pop("groups", None)
        data.pop("name", None)
        data["tags"] = [data.get("tags") or ""]
        return data


class ResourceForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=ContentTextarea(attrs={"rows": 3})
    )
    format = forms.CharField(
        label=_("Format"),
        max_length=20,
        required=False,
        help_text=_("For example CSV. Left empty, it is taken from the file name."),
    )
    schema_name = forms.ChoiceField(
        label=_("Table schema"),
        required=False,
        help_text=_(
            "The layout of the Local Government Standard Open Data Set "
            "(自治体標準オープンデータセット) that the file follows; the check compares the file "
            "with it."
        ),
    )
    url = forms.URLField(
        label=_("External address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Only for data kept on another site; leave empty to upload a file."),
    )

    def __init__(self, *args: Any, schemas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["schema_name"].choices = [("", _("None (any table)")), *schemas]


class SizedFileMixin:
    """Refuses, with the limit in the message, files larger than staff may upload."""

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]  # type: ignore[attr-defined]
        if (upload.size or 0) > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB. Split it or ask the IT office.")
                % {"mb": settings.MACHI_OPENDATA_MAX_UPLOAD_MB}
            )
        if not upload.size:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class UploadForm(SizedFileMixin, ServiceErrorsMixin, forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("Shown in the public version history, for example 3 shelters added."),
    )


class ValidateForm(SizedFileMixin, ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        allow_empty_file=True,
        help_text=_("UTF-8 (with or without BOM) or Shift_JIS (CP932)."),
    )
    schema_name = forms.ChoiceField(label=_("Table schema"), required=False)

    def __init__(self, *args: Any, schemas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["schema_name"].choices = [("", _("None (only the general checks)")), *schemas]
