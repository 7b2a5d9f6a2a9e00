"""Forms of the notices' staff pages. They parse what was typed; the services check the
notice's own rules and save (their errors are put on the fields by ``add_service_error``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from machi.core.forms import ServiceErrorsMixin
from machi.core.localized import localized
from machi.core.models import Department
from machi.core.templatetags.content import needs_mark
from machi.notices.models import BODY_MAX, TITLE_MAX, District, NoticeCategory, NoticeFile
from machi.notices.services.files import ALT_MAX, DOCUMENT_MAX_BYTES, IMAGE_MAX_BYTES
from machi.notices.services.notices import EDITABLE_FIELDS
from machi.notices.services.webhooks import webhook_url_clean

EVENT_FIELDS = ("event_start", "event_end", "event_place")


class ContentSelect(forms.Select):
    """A select whose choices are content (department names): a Japanese one is marked
    ``lang="ja"`` on pages in another language."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if needs_mark(option["label"]):
            option["attrs"]["lang"] = "ja"
        return option


class ContentTextarea(forms.Textarea):
    """A text area whose text is content: Japanese text is marked ``lang="ja"`` on pages
    in another language, so screen readers read it in a Japanese voice."""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if value and needs_mark(value):
            context["widget"]["attrs"]["lang"] = "ja"
        return context


class CategorySelect(ContentSelect):
    """Each イベント category's option says so (``data-event``), for the script that
    shows the event's date and place only when they apply."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        category = getattr(value, "instance", None)
        if isinstance(category, NoticeCategory) and category.is_event:
            option["attrs"]["data-event"] = "true"
        return option


class LocalizedChoiceField(forms.ModelChoiceField):
    """Categories and departments by their name in the page's language."""

    def label_from_instance(self, obj: Any) -> str:
        return localized(obj, "name", get_language() or "ja")


class LocalizedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return localized(obj, "name", get_language() or "ja")


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker; the value is Japan time (Asia/Tokyo)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _when(label: Any, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=False, widget=DateTimeLocalInput(), help_text=help_text
    )


class NoticeForm(ServiceErrorsMixin, forms.Form):
    department = LocalizedChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        widget=ContentSelect,
        empty_label=None,
        help_text=_("The department that writes it. Its approvers approve it."),
        error_messages={"required": _("Choose the department that writes it.")},
    )
    category = LocalizedChoiceField(
        label=_("Category"),
        queryset=NoticeCategory.objects.none(),
        widget=CategorySelect,
        empty_label=_("Choose a category"),
        error_messages={"required": _("Choose one of the categories.")},
    )
    districts = LocalizedMultipleChoiceField(
        label=_("Districts"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none for a notice to the whole city."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Enter a title.")},
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        strip=False,
        widget=ContentTextarea(attrs={"rows": 12}),
        error_messages={"required": _("Enter the text of the notice.")},
    )
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("Text in English"),
        max_length=BODY_MAX,
        required=False,
        strip=False,
        widget=ContentTextarea(attrs={"rows": 8}),
        help_text=_("Shown on the English pages. Leave both empty to show the Japanese text."),
    )
    is_important = forms.BooleanField(
        label=_("Important (重要): shown first on the home page"), required=False
    )
    publish_at = _when(
        _("Publish from (掲載開始)"), _("Japan time. Empty: as soon as it is approved.")
    )
    expire_at = _when(
        _("Publish until (掲載終了)"),
        _("Japan time. Afterwards the notice is in the archive. Empty: until it is withdrawn."),
    )
    event_start = _when(_("Event starts"), _("Japan time. Required for an event."))
    event_end = _when(_("Event ends"))
    event_place = forms.CharField(label=_("Event place"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        categories: QuerySet[NoticeCategory],
        departments: QuerySet[Department] | None,
        districts: QuerySet[District] | None,
        **kwargs: Any,
    ) -> None:
        """``departments`` and ``districts`` None leave the field out: a district
        organisation writes for its own district, and a notice keeps its department."""
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["category"].queryset = categories
        if departments is None:
            del self.fields["department"]
        else:
            fields["department"].queryset = departments
        if districts is None:
            del self.fields["districts"]
        else:
            fields["districts"].queryset = districts

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        category = cleaned.get("category")
        if category is not None and not category.is_event:
            # Only an event has a date and place: values left in the hidden fields go.
            cleaned.update(event_start=None, event_end=None, event_place="")
        return cleaned

    @property
    def is_event(self) -> bool:
        """Whether the chosen category (as typed, or as saved) is an event; None chosen
        shows the event's fields too, so that a browser without JavaScript has them."""
        field: Any = self.fields["category"]
        chosen = self["category"].value()
        if not chosen:
            return True
        try:
            category = field.to_python(chosen)
        except ValidationError:
            return True
        return bool(category is None or category.is_event)

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values under the names ``notice_create``/``notice_update`` take."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}

    @property
    def english_has_errors(self) -> bool:
        return bool(self["title_en"].errors or self["body_en"].errors)


class NoticeFileForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of file"),
        choices=[
            (NoticeFile.Kind.IMAGE, _("Image (PNG, JPEG, GIF or WebP, up to 5 MB)")),
            (NoticeFile.Kind.DOCUMENT, _("Document (PDF, up to 10 MB)")),
        ],
        initial=NoticeFile.Kind.IMAGE,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=_("File"))
    alt_text = forms.CharField(
        label=_("Description of the image (alternative text)"),
        max_length=ALT_MAX,
        required=False,
        help_text=_(
            "Required for an image: what it shows, for people who cannot see it, "
            "for example “The route from the station to the hall”."
        ),
    )

    def clean(self) -> dict[str, Any]:
        """Refuse a file over its kind's limit before reading it (the service checks
        what it is)."""
        cleaned = super().clean() or {}
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload is not None and kind == NoticeFile.Kind.IMAGE and upload.size > IMAGE_MAX_BYTES:
            self.add_error("file", _("An image can be at most 5 MB."))
        if (
            upload is not None
            and kind == NoticeFile.Kind.DOCUMENT
            and upload.size > DOCUMENT_MAX_BYTES
        ):
            self.add_error("file", _("A document can be at most 10 MB."))
        return cleaned


class WebhookForm(ServiceErrorsMixin, forms.Form):
    """A partner's webhook; the address's rules are ``services.webhooks``'s."""

    name = forms.CharField(
        label=_("Partner's name"),
        max_length=100,
        help_text=_("For example, a local newspaper or a neighbourhood association's app."),
        error_messages={"required": _("Enter the partner's name (up to 100 characters).")},
    )
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=1000,
        help_text=_("The partner's receiving address, starting with https://."),
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the partner's address, starting with https://.")},
    )
    categories = LocalizedMultipleChoiceField(
        label=_("Categories"),
        queryset=NoticeCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to send every category."),
    )
    districts = LocalizedMultipleChoiceField(
        label=_("Districts"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick none to send every district's notices. Notices for the whole city always go."
        ),
    )

    def __init__(
        self,
        *args: Any,
        categories: QuerySet[NoticeCategory],
        districts: QuerySet[District],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["categories"].queryset = categories
        fields["districts"].queryset = districts
        if not districts.exists():
            del self.fields["districts"]

    def clean_url(self) -> str:
        try:
            return webhook_url_clean(self.cleaned_data["url"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["url"]) from exc
