"""Demo IT-Guide and campaigns: vendors, logos and ad pictures drawn with Pillow (no downloads)."""

import io

from PIL import Image, ImageDraw, ImageFont

CATEGORIES = [
    ("dokumentenmanagement", "Dokumentenmanagement"),
    ("finanzwesen", "Finanzwesen"),
    ("geoinformation", "Geoinformation"),
    ("e-government-portale", "E-Government-Portale"),
    ("it-sicherheit", "IT-Sicherheit"),
    ("schul-it", "Schul-IT"),
    ("personalwesen", "Personalwesen"),
    ("einwohnerwesen", "Einwohnerwesen"),
    ("cloud-rechenzentrum", "Cloud und Rechenzentrum"),
]

# The first three are the IT-Guide Plus box of the reference page, with no
# more than it says about them; the others are invented for the demo.
VENDORS = [
    {
        "name": "xSuite Group GmbH", "postcode": "22926", "city": "Ahrensburg", "plus": True,
        "categories": ["dokumentenmanagement", "finanzwesen"], "color": (0, 94, 154),
        "description": "<p>Eingangsrechnungen und E-Rechnungen digital verarbeiten.</p>",
    },
    {
        "name": "ab-data GmbH & Co. KG", "postcode": "42551", "city": "Velbert", "plus": True,
        "categories": ["finanzwesen"], "color": (0, 122, 77),
        "description": "<p>Finanzsoftware für Kommunen: Haushalt, Kasse, Anlagenbuchhaltung.</p>",
    },
    {
        "name": "con terra GmbH", "postcode": "48155", "city": "Münster", "plus": True,
        "categories": ["geoinformation"], "color": (155, 60, 20),
        "description": "<p>Geodateninfrastrukturen und Geoportale für die Verwaltung.</p>",
    },
    {
        "name": "Kommunal-IT Nord GmbH", "street": "Hafenstraße 12", "postcode": "24103",
        "city": "Kiel", "plus": False, "categories": ["cloud-rechenzentrum", "it-sicherheit"],
        "color": (40, 70, 120), "website": "https://kommunal-it-nord.example",
        "email": "info@kommunal-it-nord.example", "phone": "0431 123456-0",
        "description": "<p>Rechenzentrum und IT-Betrieb für Kreise und Gemeinden im Norden.</p>",
    },
    {
        "name": "Bürgerportal Software AG", "street": "Marktplatz 3", "postcode": "04109",
        "city": "Leipzig", "plus": False, "categories": ["e-government-portale", "einwohnerwesen"],
        "color": (120, 40, 110), "website": "https://buergerportal-software.example",
        "description": "<p>Online-Dienste nach dem OZG: Antrag, Bezahlung, Bescheid.</p>",
    },
    {
        "name": "SchulNetz Bayern GmbH", "street": "Schulstraße 7", "postcode": "80331",
        "city": "München", "plus": False, "categories": ["schul-it"], "color": (20, 110, 130),
        "website": "https://schulnetz-bayern.example",
        "description": "<p>Netze, Endgeräte und Support für Schulträger.</p>",
    },
    {
        "name": "GeoDaten Rhein-Ruhr GmbH", "street": "Königsallee 50", "postcode": "40212",
        "city": "Düsseldorf", "plus": False, "categories": ["geoinformation"],
        "color": (90, 100, 30), "description": "<p>Vermessung, Kataster und 3D-Stadtmodelle.</p>",
    },
    {
        "name": "Sicher im Amt e. V.", "street": "Behördenweg 1", "postcode": "53113",
        "city": "Bonn", "plus": False, "categories": ["it-sicherheit"], "color": (150, 20, 30),
        "description": "<p>Schulungen zur Informationssicherheit im öffentlichen Dienst.</p>",
    },
    {
        "name": "Personalwerk Kommunal GmbH", "street": "Am Rathaus 4", "postcode": "70173",
        "city": "Stuttgart", "plus": False, "categories": ["personalwesen"],
        "color": (70, 70, 70), "description": "<p>Personalverwaltung und Bezügeabrechnung.</p>",
    },
    {
        "name": "Alpen Verwaltungs-IT GmbH", "street": "Landstraße 9", "postcode": "4020",
        "city": "Linz", "country": "AT", "plus": False, "categories": ["e-government-portale"],
        "color": (30, 120, 90), "description": "<p>E-Government-Lösungen für Gemeinden.</p>",
    },
]  # fmt: skip

# (vendor, slot, headline, line) for the running demo campaigns.
CAMPAIGNS = [
    ("xSuite Group GmbH", ["leaderboard", "sidebar-top"], "E-Rechnung ab 2025", "Jetzt umstellen"),
    (
        "ab-data GmbH & Co. KG",
        ["sidebar-top", "article"],
        "Doppik ohne Stress",
        "Finanzsoftware für Kommunen",
    ),
    ("con terra GmbH", ["sidebar-bottom", "article"], "Geoportale", "für Land und Kommune"),
    ("Kommunal-IT Nord GmbH", ["leaderboard"], "Ihr Rechenzentrum", "sicher und nah"),
]


def _font(size, bold=False):
    """DejaVu (the fonts the PDFs use) where installed, else Pillow's own font."""
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def _fitting(draw, text, width, largest, bold=False):
    """The largest font up to ``largest`` in which ``text`` is at most ``width`` wide."""
    size = largest
    while size > 10 and draw.textlength(text, font=_font(size, bold)) > width:
        size -= 2
    return _font(size, bold)


def demo_logo(name, color):
    """A word mark: the name on a white ground beside a coloured bar. PNG bytes."""
    picture = Image.new("RGB", (480, 160), "white")
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, 0, 24, 160], fill=color)
    text = name.replace(" GmbH & Co. KG", "").replace(" GmbH", "").replace(" AG", "")
    font = _fitting(draw, text, 410, 72, bold=True)
    draw.text((48, 80), text, font=font, fill=color, anchor="lm")
    return _png(picture)


def demo_banner(width, height, headline, line, advertiser, color):
    """An ad picture at twice the place's size, marked as demo. PNG bytes."""
    width, height = 2 * width, 2 * height
    picture = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(picture)
    margin = width // 16
    usable = width - 2 * margin
    if width > 3 * height:  # a wide strip: headline and line side by side
        title = _fitting(draw, headline, usable * 0.55, height // 2, bold=True)
        draw.text((margin, height // 2), headline, font=title, fill="white", anchor="lm")
        small = _fitting(draw, line, usable * 0.4, height // 3)
        draw.text((width - margin, height // 2), line, font=small, fill="white", anchor="rm")
    else:
        title = _fitting(draw, headline, usable, width // 7, bold=True)
        draw.text((margin, height * 2 // 5), headline, font=title, fill="white", anchor="ls")
        small = _fitting(draw, line, usable, width // 12)
        draw.text(
            (margin, height * 2 // 5 + width // 10), line, font=small, fill="white", anchor="ls"
        )
    note = f"{advertiser} · Demo-Anzeige"
    note_size = height // 14 if width > 3 * height else width // 30
    corner = (width - margin // 2, height - margin // 3)
    draw.text(corner, note, font=_font(max(14, note_size)), fill=(235, 235, 235), anchor="rs")
    return _png(picture)


def _png(picture):
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
