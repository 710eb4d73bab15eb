import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from awards.models import Category
from submissions.models import CreatorProfile, Entry
from submissions.selectors import problem_files
from submissions.text import fold


class EntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.SearchInput(attrs={"placeholder": _("Title, creator, city, code")}),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.none(), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Entry.Status.choices, empty_label=_("All")
    )
    screening = django_filters.ChoiceFilter(
        label=_("Screening"), choices=Entry.Screening.choices, empty_label=_("All")
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        field_name="owner__creator_profile__country",
        choices=countries,
        empty_label=_("All"),
    )
    creator_type = django_filters.ChoiceFilter(
        label=_("Creator type"),
        field_name="owner__creator_profile__creator_type",
        choices=CreatorProfile.CreatorType.choices,
        empty_label=_("All"),
    )
    has_problems = django_filters.BooleanFilter(
        label=_("Has problems"),
        method="problems",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Entry
        fields = ["q", "category", "status", "screening", "country", "creator_type", "has_problems"]

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["category"].queryset = cycle.categories.all()
        # Only the countries creators come from (a dozen, not 250 options on every page view).
        present = (
            CreatorProfile.objects.order_by("country").values_list("country", flat=True).distinct()
        )
        self.filters["country"].extra["choices"] = [
            (code, countries.name(code)) for code in present
        ]

    def problems(self, queryset, name, value):
        # Problem files are few: fetch their entries once (an indexed lookup) instead of letting
        # the database check every entry against them.
        entries_with_problems = set(problem_files().values_list("entry_id", flat=True))
        if value:
            return queryset.filter(pk__in=entries_with_problems)
        return queryset.exclude(pk__in=entries_with_problems)

    def search(self, queryset, name, value):
        # Every word must appear, accents or not: "ha noi" finds "Hà Nội".
        for word in fold(value).split()[:8]:
            queryset = queryset.filter(Q(search_text__contains=word))
        return queryset
