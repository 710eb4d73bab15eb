import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from submissions.filters import Select

CHOICES = [
    ("", gettext_lazy("All")),
    ("a&b", 'Tom & "Jerry" <b>'),
    (7, mark_safe("<em>safe</em>")),
    ("Group <1>", [("x", "Ẋ one"), ("y", "Y two")]),
    ("last", "Cuối cùng"),
]


@pytest.mark.parametrize("value", [None, "", "a&b", "7", "y", "nowhere"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_f"}, {"id": "id_f", "required": True, "disabled": False}]
)
def test_the_filters_select_writes_djangos_html_byte_for_byte(value, attrs):
    """The organizers' filters draw their selects without Django's templates: what a browser
    receives is the same."""
    ours = Select(choices=CHOICES, attrs={"class": 'a "b"'}).render("f<", value, attrs=attrs)
    djangos = forms.Select(choices=CHOICES, attrs={"class": 'a "b"'}).render("f<", value, attrs)

    assert ours == djangos
