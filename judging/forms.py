import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from awards.models import Prize
from judging.models import Juror
from submissions.models import Entry


def as_uuid(value: str | None) -> uuid.UUID | None:
    """A public id from a form or a query string, or None when it is not one."""
    try:
        return uuid.UUID(value) if value else None
    except (ValueError, AttributeError, TypeError):
        return None


def decision_choice(post, *, cycle, entries) -> tuple[Entry, Prize | None]:
    """The entry and prize of an "add a decision" form, on the organizers' and the chair's
    decision pages: an entry among `entries`, a prize of the edition or "mention" (none).
    Raises Entry.DoesNotExist or Prize.DoesNotExist (ValueError for a malformed id)."""
    entry = entries.get(cycle=cycle, pk=post.get("entry") or 0)
    prize_id = post.get("prize")
    if prize_id in (None, "", "mention"):
        return entry, None
    return entry, Prize.objects.get(cycle=cycle, pk=prize_id)


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Public name"), max_length=120)
    email = forms.EmailField(label=_("Email address"))
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    role = forms.ChoiceField(label=_("Role"), choices=Juror.Role.choices, initial="juror")
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=Juror.Language.choices, initial="vi"
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = cycle.categories.all()


class BulkInviteForm(forms.Form):
    """One person per line: name, email, category codes (ARC PRD), optionally "en"."""

    people = forms.CharField(
        label=_("Several people, one per line"),
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": "Nguyễn Minh Anh, anh@example.vn, ARC PRD, vi"}
        ),
        help_text=_(
            "Name, email, category codes separated by spaces, and optionally the language (vi or en)."
        ),
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle

    def clean_people(self):
        categories = {c.code: c for c in self.cycle.categories.all()}
        rows, problems, lines_of = [], [], {}
        for number, line in enumerate(self.cleaned_data["people"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) < 3:
                problems.append(
                    _("Line %(n)d: write the name, the email and the categories.") % {"n": number}
                )
                continue
            name, email, codes = parts[0], parts[1], parts[2].upper().split()
            language = parts[3].lower() if len(parts) > 3 and parts[3] else "vi"
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    _("Line %(n)d: “%(email)s” is not an email address.")
                    % {"n": number, "email": email}
                )
                continue
            if email.lower() in lines_of:
                # Inviting twice sends two emails, and the first one's link stops working.
                problems.append(
                    _("Line %(n)d: %(email)s is already on line %(first)d.")
                    % {"n": number, "email": email, "first": lines_of[email.lower()]}
                )
                continue
            lines_of[email.lower()] = number
            unknown = [c for c in codes if c not in categories]
            if unknown or not codes:
                problems.append(
                    _("Line %(n)d: unknown category %(codes)s (this edition has %(known)s).")
                    % {
                        "n": number,
                        "codes": " ".join(unknown) or "—",
                        "known": " ".join(categories),
                    }
                )
                continue
            if language not in ("vi", "en"):
                problems.append(_("Line %(n)d: the language is vi or en.") % {"n": number})
                continue
            rows.append((name, email, [categories[c] for c in codes], language))
        if problems:
            raise ValidationError(problems)
        return rows


class AssignForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Random seed"),
        initial=0,
        min_value=0,
        help_text=_("The same seed gives the same assignment."),
    )
