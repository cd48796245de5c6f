"""The IT-Guide's filters (django-filter), with German parameter names."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import F, Func, Q, TextField, Value
from django.utils.translation import gettext_lazy as _

from ads.models import Category, Vendor

MAX_TEXT = 100


class VendorFilter(django_filters.FilterSet):
    kategorie = django_filters.ModelChoiceFilter(
        label=_("Kategorie"),
        field_name="categories",
        queryset=Category.objects.all(),
        to_field_name="slug",
        empty_label=_("Alle Kategorien"),
    )
    plz = django_filters.CharFilter(
        label=_("PLZ-Bereich"),
        method="filter_region",
        max_length=5,
        validators=[
            RegexValidator(
                r"^[0-9]+$",
                _("Bitte nur Ziffern angeben: die ersten Stellen der PLZ, etwa 4 oder 48."),
            )
        ],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
    )
    ort = django_filters.CharFilter(
        label=_("Ort"), field_name="city", lookup_expr="icontains", max_length=MAX_TEXT
    )
    q = django_filters.CharFilter(
        label=_("Suchbegriff"), method="filter_text", max_length=MAX_TEXT
    )

    class Meta:
        model = Vendor
        fields = ["kategorie", "plz", "ort", "q"]

    def filter_region(self, queryset, name, digits):
        """German postcodes starting with these digits: "4" is 40000 to 49999."""
        return queryset.filter(country=Vendor.Country.GERMANY, postcode__startswith=digits)

    def filter_text(self, queryset, name, value):
        """Every word somewhere in name, city or the description's text (not its markup)."""
        text = Func(F("description"), Value("<[^>]+>"), Value(" "), Value("g"),
                    function="regexp_replace", output_field=TextField())  # fmt: skip
        queryset = queryset.annotate(description_text=text)
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(city__icontains=word)
                | Q(description_text__icontains=word)
            )
        return queryset
