"""The ad places of the layout: where they are and what size of picture fits them."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Slot:
    name: str
    label: str
    width: int
    height: int

    def fits(self, width, height):
        """A picture fits at the place's size, or at twice it for sharp high-density screens."""
        return (width, height) in ((self.width, self.height), (2 * self.width, 2 * self.height))


# The names are used in the templates ({% ad_slot "sidebar-top" %}) and in URLs.
SLOTS = {
    slot.name: slot
    for slot in [
        Slot("leaderboard", _("Leaderboard unter dem Kopf"), 728, 90),
        Slot("sidebar-top", _("Seitenleiste oben"), 300, 250),
        Slot("sidebar-bottom", _("Seitenleiste unten"), 300, 600),
        Slot("article", _("Im Artikel, unter dem Text"), 300, 250),
    ]
}

SLOT_CHOICES = [
    (slot.name, f"{slot.label} ({slot.width} × {slot.height})") for slot in SLOTS.values()
]
