from django import template

register = template.Library()


@register.simple_tag
def ad_slot(name):
    """The place for the ad of slot ``name``, labelled "Anzeige" when filled.

    No campaign can be booked yet, so every place is empty, and an empty
    place renders nothing (no label, no gap).
    """
    return ""
