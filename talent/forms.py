from __future__ import annotations

from django import forms

from talent.models import Announcement, Correction, Person, Precision
from talent.queries import SEARCH_MAX_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": "Search for at most %(limit_value)d characters (this has %(show_value)d)."
        },
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=2000, strip=True)


class DuplicateForm(forms.Form):
    original = forms.ModelChoiceField(queryset=Announcement.objects.all())


class ApproveForm(forms.Form):
    force = forms.BooleanField(required=False)


class AnnouncementEditForm(forms.ModelForm):
    """What a curator may correct before approving; names left as text are created then."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, empty_label="(a new person)"
    )

    class Meta:
        model = Announcement
        fields = [
            "kind",
            "status",
            "person",
            "person_name",
            "from_org_name",
            "to_org_name",
            "team_name",
            "title",
            "manager_name",
            "date",
            "date_precision",
        ]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [p.pk for p in candidates]
        if self.instance.person_id:
            ids.append(self.instance.person_id)
        self.fields["person"].queryset = Person.objects.filter(pk__in=ids)
        self.fields["date_precision"].choices = [
            c for c in Precision.choices if c[0] != Precision.PRESENT
        ]

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("date_precision") == Precision.UNKNOWN:
            self.add_error("date_precision", "A date was given: say how precise it is.")
        if not data.get("date"):
            data["date_precision"] = Precision.UNKNOWN
        if data.get("kind") == Announcement.Kind.DEPART and not data.get("from_org_name"):
            self.add_error("from_org_name", "A departure needs the organization left.")
        if data.get("kind") != Announcement.Kind.DEPART and not data.get("to_org_name"):
            self.add_error("to_org_name", "Say which organization.")
        return data

    def save(self, commit=True):
        announcement = super().save(commit=False)
        # Edited names no longer match the links made from the old ones.
        for field, link in (
            ("from_org_name", "from_org"),
            ("to_org_name", "to_org"),
            ("team_name", "team"),
            ("manager_name", "manager"),
        ):
            if field in self.changed_data:
                setattr(announcement, link, None)
        if announcement.person_id:
            announcement.person_name = announcement.person.name
        if commit:
            announcement.save()
        return announcement


class CorrectionForm(forms.ModelForm):
    source_url = forms.URLField(
        max_length=1000,
        required=False,
        assume_scheme="https",
        label="A link that shows it (optional)",
    )
    # Left empty by people; filled in by the bots that fill in every field.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )

    class Meta:
        model = Correction
        fields = ["message", "source_url", "contact"]
        labels = {
            "message": "What is wrong, and what is right?",
            "source_url": "A link that shows it (optional)",
            "contact": "Your e-mail, if we may ask you about it (optional)",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("Leave this field empty.")
        return ""
