from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models import CreatorProfile, Entry


class CreatorProfileForm(forms.ModelForm):
    accept_rules = forms.BooleanField(
        label=_("I have read and accept the rules of the Hanoi Creative Design Award."),
        error_messages={"required": _("Please accept the rules to take part.")},
    )

    class Meta:
        model = CreatorProfile
        fields = [
            "display_name",
            "creator_type",
            "country",
            "city",
            "organization",
            "bio",
            "website",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5, "maxlength": 1000}),
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "organization": forms.TextInput(attrs={"autocomplete": "organization"}),
            "website": forms.URLInput(attrs={"autocomplete": "url", "placeholder": "https://"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The empty choices' labels come from Django and django-countries in English only.
        self.fields["creator_type"].choices = [
            ("", _("Choose one")),
            *CreatorProfile.CreatorType.choices,
        ]
        self.fields["country"].choices = [
            ("", _("Choose a country")),
            *[(code, name) for code, name in self.fields["country"].choices if code],
        ]
        if self.instance.pk and self.instance.rules_accepted_at:
            self.fields["accept_rules"].initial = True


VIDEO_HOSTS = (
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtu.be",
    "vimeo.com",
    "www.vimeo.com",
    "player.vimeo.com",
)


class EntryForm(forms.ModelForm):
    """The texts, video link and declarations. Files are handled by the upload endpoints."""

    class Meta:
        model = Entry
        fields = [
            "title_vi",
            "summary_vi",
            "statement_vi",
            "heritage_vi",
            "title_en",
            "summary_en",
            "statement_en",
            "heritage_en",
            "video_url",
            "declared_original",
            "declared_rights",
            "declared_rules",
        ]
        labels = {
            "title_vi": _("Title"),
            "title_en": _("Title"),
            "summary_vi": _("Summary"),
            "summary_en": _("Summary"),
            "statement_vi": _("Design statement"),
            "statement_en": _("Design statement"),
            "heritage_vi": _("How the work draws on culture and heritage"),
            "heritage_en": _("How the work draws on culture and heritage"),
            "video_url": _("Video link (YouTube or Vimeo)"),
            "declared_original": _("This is our original work."),
            "declared_rights": _("We hold the rights to every image and document in this entry."),
            "declared_rules": _("We accept the rules of the award."),
        }
        help_texts = {
            "summary_vi": _("Up to 600 characters."),
            "summary_en": _("Up to 600 characters."),
            "statement_vi": _("What it is, for whom, and why; up to 4,000 characters."),
            "statement_en": _("What it is, for whom, and why; up to 4,000 characters."),
            "heritage_vi": _("Up to 2,000 characters."),
            "heritage_en": _("Up to 2,000 characters."),
        }
        # `lang` on each text box: spell-checkers and screen readers use the text's language.
        widgets = {
            "title_vi": forms.TextInput(attrs={"lang": "vi"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "summary_vi": forms.Textarea(attrs={"rows": 3, "maxlength": 600, "lang": "vi"}),
            "summary_en": forms.Textarea(attrs={"rows": 3, "maxlength": 600, "lang": "en"}),
            "statement_vi": forms.Textarea(attrs={"rows": 8, "maxlength": 4000, "lang": "vi"}),
            "statement_en": forms.Textarea(attrs={"rows": 8, "maxlength": 4000, "lang": "en"}),
            "heritage_vi": forms.Textarea(attrs={"rows": 5, "maxlength": 2000, "lang": "vi"}),
            "heritage_en": forms.Textarea(attrs={"rows": 5, "maxlength": 2000, "lang": "en"}),
            "video_url": forms.URLInput(attrs={"placeholder": "https://www.youtube.com/watch?v=…"}),
        }

    def clean_video_url(self):
        url = self.cleaned_data["video_url"].strip()
        if url and urlsplit(url).hostname not in VIDEO_HOSTS:
            raise forms.ValidationError(
                _("Give a YouTube or Vimeo link, or leave the field empty.")
            )
        return url


def credits_from_post(data) -> list[dict]:
    """Credit rows (name, role) from the repeated form fields, empty rows dropped."""
    names = data.getlist("credit_name")
    roles = data.getlist("credit_role")
    rows = []
    for name, role in zip(names, roles, strict=False):
        name, role = name.strip()[:120], role.strip()[:120]
        if name or role:
            rows.append({"name": name, "role": role})
    return rows[:30]


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Entry.Screening.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (sent to the creator)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtensionForm(forms.Form):
    until = forms.SplitDateTimeField(
        label=_("New deadline for this entry (Hanoi time)"),
        required=False,
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date", "aria-label": _("Date")},
            time_attrs={"type": "time", "aria-label": _("Time")},
        ),
        help_text=_("Leave empty to remove the extension."),
    )
