from __future__ import annotations

from django import forms

from feeds.safety import UnsafeURL, check_url


class AddFeedForm(forms.Form):
    url = forms.CharField(label="Feed URL", max_length=2000, strip=True)

    def clean_url(self) -> str:
        try:
            return check_url(self.cleaned_data["url"])
        except UnsafeURL as exc:
            raise forms.ValidationError(str(exc)) from None
