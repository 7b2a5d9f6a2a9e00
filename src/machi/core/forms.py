"""Forms of the resident's own pages. They only parse; the services check and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from machi.core.examples import with_examples_lazy


class ServiceErrorsMixin:
    """Put a service's ``ValidationError`` on the fields it names (or on the form): one
    place for every form whose rules live in a service."""

    def add_service_error(self, error: forms.ValidationError) -> None:
        form: Any = self
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            for message in error.messages:
                form.add_error(None, message)


class ProfileForm(ServiceErrorsMixin, forms.Form):
    postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        max_length=10,
        help_text=_("7 digits, for example 519-0195."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=20,
        help_text=_("Including the area code, for example 0595-82-1111."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    birthdate = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=20,
        help_text=with_examples_lazy(_("For example %(era)s or 1990-04-01."), era="平成2年4月1日"),
        widget=forms.TextInput(attrs={"autocomplete": "bday"}),
    )
