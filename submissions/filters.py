from html import escape

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from submissions.models import CreatorProfile, Entry
from submissions.selectors import creator_countries, problem_files
from submissions.text import fold


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {escape(str(name))}" if value is True else f' {escape(str(name))}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """Django's `Select`, written by format strings instead of a template per option: the
    organizers' list draws six of them, fifty options, on every view (4 ms of CPU through the
    form templates, a tenth of that here). The HTML is Django's own, byte for byte, from the
    same context (a test compares them)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{escape(str(widget["name"]))}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            html.extend(
                f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return SafeString("".join(html))


class EntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.SearchInput(attrs={"placeholder": _("Title, creator, city, code")}),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=[], empty_label=_("All"), widget=Select
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Entry.Status.choices, empty_label=_("All"), widget=Select
    )
    screening = django_filters.ChoiceFilter(
        label=_("Screening"), choices=Entry.Screening.choices, empty_label=_("All"), widget=Select
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="owner__creator_profile__country",
        choices=countries,
        empty_label=_("All"),
        widget=Select,
    )
    creator_type = django_filters.ChoiceFilter(
        label=_("Creator type"),
        field_name="owner__creator_profile__creator_type",
        choices=CreatorProfile.CreatorType.choices,
        empty_label=_("All"),
        widget=Select,
    )
    has_problems = django_filters.BooleanFilter(
        label=_("Has problems"),
        method="problems",
        widget=Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Entry
        fields = ["q", "category", "status", "screening", "country", "creator_type", "has_problems"]

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        # The edition's categories, already fetched by the view (no query of their own).
        self.filters["category"].extra["choices"] = [(str(c.pk), str(c)) for c in categories]
        # Only the countries creators come from (a dozen, not 250 options on every page view).
        self.filters["country"].extra["choices"] = [
            (code, countries.name(code)) for code in creator_countries()
        ]

    def problems(self, queryset, name, value):
        # EXISTS, so the database joins the few problem files (two small indexes) to the entries
        # it reads, in the list's order, whatever the number of problems.
        has_problems = Exists(problem_files().filter(entry=OuterRef("pk")))
        return queryset.filter(has_problems if value else ~has_problems)

    def search(self, queryset, name, value):
        # Every word must appear, accents or not: "ha noi" finds "Hà Nội". On PostgreSQL the
        # trigram index on search_text (migration 0003) serves these LIKE '%word%' filters.
        for word in fold(value).split()[:8]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def only_counted_filters(self) -> dict | None:
        """The category and status asked for, when no other filter is: the counts table then
        already knows how many entries match. None when another filter narrows the list."""
        if not self.is_bound:
            return {}
        if self.errors:
            return None
        data = {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
        if data.keys() - {"category", "status"}:
            return None
        return data
