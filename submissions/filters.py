import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from awards.models import Category
from submissions.models import CreatorProfile, Entry
from submissions.services import fold


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
        field_name="has_problems",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Entry
        fields = ["q", "category", "status", "screening", "country", "creator_type", "has_problems"]

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["category"].queryset = cycle.categories.all()

    def search(self, queryset, name, value):
        # Every word must appear, accents or not: "ha noi" finds "Hà Nội".
        for word in fold(value).split()[:8]:
            queryset = queryset.filter(Q(search_text__contains=word))
        return queryset
