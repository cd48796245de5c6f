"""The parts of reader pages that ads draws: ad places and the IT-Guide Plus box.

Both are fragments of the page cache (portal.lib.pagecache, registered in
ads.apps): cached once under their own topics and put into every page, so a
campaign starting or the box turning renews them, not the pages around them.
"""

import time

from django.conf import settings
from django.db.models import TextField, Value
from django.db.models.functions import MD5, Cast, Concat
from django.template.loader import render_to_string

from ads.models import Vendor
from ads.placement import occupied_slots
from ads.slots import SLOTS
from portal.lib.pagecache import remembered

# The IT-Guide Plus box shows this many Plus vendors, a new choice this often.
PLUS_COUNT = 3
PLUS_ROTATION_SECONDS = 15 * 60  # settings.ITGUIDE_PLUS_ROTATION_SECONDS, where set


def ad_slot(request, name):
    """The ad place ``name``, labelled "Anzeige", or nothing when no campaign runs there.

    The page holds only the frame; what it shows is drawn and counted when
    the frame loads (ads.views.slot), so a cached page still rotates its ads.
    """
    if request is None:
        occupied = occupied_slots()
    else:  # the page's other places ask too
        occupied = remembered(request, ["ads"], "ads:occupied", occupied_slots)
    slot = SLOTS[name] if name in occupied else None
    return render_to_string("ads/ad_slot.html", {"slot": slot})


def plus_turn():
    """Which quarter of an hour it is: the Plus box's choice changes with it."""
    seconds = getattr(settings, "ITGUIDE_PLUS_ROTATION_SECONDS", PLUS_ROTATION_SECONDS)
    return int(time.time() // seconds)


def itguide_plus(request):
    """A few IT-Guide Plus vendors, a different choice every quarter of an hour.

    The choice is the same for everyone within the quarter hour.
    """
    return render_to_string("ads/plus_box.html", {"vendors": plus_vendors(plus_turn())})


def plus_vendors(turn):
    shuffled = MD5(Concat(Cast("id", TextField()), Value(str(turn))))
    vendors = (
        Vendor.objects.listed()
        .filter(plus=True)
        .only(
            "name",
            "slug",
            "postcode",
            "city",
            "logo",
            "logo_width",
            "logo_height",
            "logo_renditions",
        )
        .order_by(shuffled)[:PLUS_COUNT]
    )
    return list(vendors)
