from __future__ import annotations

import zoneinfo
from functools import cache

from django import forms

from talent.alerts.models import Follow


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/")
    )
    return [("UTC", "UTC"), *[(z, z.replace("_", " ")) for z in names]]


class FollowForm(forms.Form):
    """A follow request from a company, team, person or direction page. What is followed
    comes from hidden fields the page fills in; the view resolves them to records."""

    email = forms.EmailField(max_length=254, label="Your e-mail")
    frequency = forms.ChoiceField(
        choices=Follow.Frequency.choices, initial=Follow.Frequency.INSTANT, label="How often"
    )
    kinds = forms.ChoiceField(
        choices=Follow.Kinds.choices, initial=Follow.Kinds.ALL, label="Which moves"
    )
    target = forms.ChoiceField(choices=Follow.Target.choices, widget=forms.HiddenInput)
    slug = forms.SlugField(required=False, widget=forms.HiddenInput)
    team = forms.SlugField(required=False, widget=forms.HiddenInput)
    from_org = forms.SlugField(required=False, label="From (company)")
    to_org = forms.SlugField(required=False, label="To (company)")
    # Left empty by people; filled in by the bots that fill in every field.
    website = forms.CharField(required=False, widget=forms.HiddenInput)
    # The browser's time zone (static/js/alerts.js); unknown names are ignored.
    timezone = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_timezone(self) -> str:
        name = self.cleaned_data.get("timezone", "")
        return name if name in dict(timezone_choices()) else ""

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("Leave this field empty.")
        return ""

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target == Follow.Target.DIRECTION:
            if not data.get("from_org") and not data.get("to_org"):
                raise forms.ValidationError("Name a company people leave, join, or both.")
            if data.get("from_org") and data.get("from_org") == data.get("to_org"):
                raise forms.ValidationError("A direction goes from one company to another.")
        elif target and not data.get("slug"):
            raise forms.ValidationError("Say what to follow.")
        return data


class FrequencyForm(forms.Form):
    follow = forms.IntegerField()
    frequency = forms.ChoiceField(choices=Follow.Frequency.choices)


class ScheduleForm(forms.Form):
    timezone = forms.ChoiceField(choices=timezone_choices, label="Time zone")
    digest_hour = forms.TypedChoiceField(
        choices=[(h, f"{h:02d}:00") for h in range(24)], coerce=int, label="Digest at"
    )
    digest_weekday = forms.TypedChoiceField(
        choices=list(
            enumerate(
                ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
                start=1,
            )
        ),
        coerce=int,
        label="Weekly digest on",
    )


class SuppressionForm(forms.Form):
    """The bounce webhook's JSON body."""

    email = forms.EmailField(max_length=254)
    type = forms.ChoiceField(
        choices=[("hard-bounce", "hard bounce"), ("complaint", "complaint"), ("soft-bounce", "")]
    )
    detail = forms.CharField(max_length=200, required=False)
