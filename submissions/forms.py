from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models import CreatorProfile


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
        if self.instance.pk and self.instance.rules_accepted_at:
            self.fields["accept_rules"].initial = True
