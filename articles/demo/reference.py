"""The reference page's article and the items it lists, exactly as the page shows them."""

SECTIONS = [
    ("politik", "Politik", "Gesetze, Strategien und Förderprogramme von Bund, Ländern und Kommunen."),
    ("praxis", "Praxis", "Wie Verwaltungen digitale Projekte umsetzen: Berichte aus Ämtern und Rathäusern."),
    ("informationstechnik", "Informationstechnik", "Rechenzentren, Cloud, Netze und Software für die öffentliche Hand."),
    ("finanzwesen", "Finanzwesen", "Haushalt, Kasse, E-Rechnung und Finanzsoftware in Kommunen und Ländern."),
    ("geoinformation", "Geoinformation", "Geodaten, Geoportale und digitale Zwillinge."),
    ("schul-it", "Schul-IT", "Digitalpakt, Schulnetze, Lernplattformen und Medienbildung."),
    ("smart-city", "Smart City", "Vernetzte Städte und Regionen: Sensorik, Datenplattformen, Mobilität."),
    ("panorama", "Panorama", "Veranstaltungen, Preise, Personalien und was sonst die Branche bewegt."),
]  # fmt: skip

REFERENCE = {
    "section": "politik",
    "kind": "news",
    "kicker": "Sachsen",
    "headline": "Digitalstrategie überarbeitet",
    "published": "2019-07-03T09:00:00+02:00",
    "teaser": (
        "Die Digitalisierungsstrategie des Freistaats Sachsen liegt jetzt in überarbeiteter "
        "Form vor. Darin wird unter anderem beschrieben, wie die Digitalisierung der Verwaltung "
        "und öffentlicher Institutionen vorangetrieben werden soll."
    ),
    "body": [
        "Mit überarbeiteter Digitalisierungsstrategie wartet der Freistaat Sachsen auf. Auf der "
        "vierten Digitalkonferenz „forum sachsen digital“ ist die überarbeitete "
        "Digitalisierungsstrategie des Freistaats vorgestellt worden. Das Kabinett hat die "
        "ressortübergreifend angelegte Strategie Sachsen Digital nach Angaben des "
        "Wirtschaftsministeriums am 18. Juni 2019 beschlossen. Sie umfasst fünf übergeordnete "
        "strategische Ziele, darunter das Vorantreiben der Digitalisierung der Verwaltung, und "
        "enthält 138 konkrete Maßnahmen zur Umsetzung. Die Ausgaben des Freistaats für diese "
        "Maßnahmen betrugen im Zeitraum vom 1. Januar 2017 bis zum 31. Dezember 2018 mehr als "
        "209 Millionen Euro.",
        "Wie das Wirtschaftsministerium weiter mitteilt, soll der Behördengang von zu Hause aus "
        "in Sachsen schon bald Realität werden. Eine Reihe von Verwaltungsdienstleistungen sei "
        "bereits über das zentrale Online-Serviceportal der sächsischen Verwaltungen, Amt24 "
        "zugänglich. Bis spätestens Ende 2022 sollen alle Verwaltungsdienstleistungen des "
        "Freistaats und der sächsischen Kommunen darüber verfügbar sein. Dafür werden den "
        "Bürgern nach Angaben des Wirtschaftsministeriums schon ab 2020 verschiedene "
        "elektronische Zugangswege zur verschlüsselten und rechtssicheren Kommunikation mit den "
        "Behörden bereitgestellt. Bis 2025 würden dann auch verwaltungsintern alle Verfahren "
        "durchgängig elektronisch ablaufen. Der Staatsbetrieb Sächsische Informatikdienste "
        "(SID) werde von der Staatsregierung zum zentralen IT-Dienstleister des Landes "
        "entwickelt.",
        "Über den Digitalpakt Schule erhält Sachsen knapp 225 Millionen Euro Bundesmittel für "
        "Digitalisierungsvorhaben an Schulen. Der Freistaat und die Kommunen werden diese Summe "
        "laut der Pressemeldung des Wirtschaftsministeriums in Höhe von mindestens zehn Prozent "
        "der Bundesmittel durch eigene Mittel aufstocken. Insgesamt stünden somit fast 250 "
        "Millionen Euro für die Digitalisierung in den Schulen bereit. Neben der technischen "
        "Ausstattung müssten auch die Lehrpläne modernisiert werden. So werde noch in diesem "
        "Jahr in den Lehrplänen aller Fächer an allgemeinbildenden Schulen die Medienbildung "
        "fest verankert. Auch bei den Hochschulen setze die Staatsregierung Akzente bei der "
        "Digitalisierung: Ab 2019 erhielten die sächsischen Hochschulen jährlich zusätzlich "
        "750.000 Euro, um die digitale Hochschulbildung zu stärken.",
    ],
    "byline": "ba",
    "links": [
        {
            "label": "Weitere Informationen und die Digitalisierungsstrategie zum Download (Deep Link)",
            "url": "http://www.smwa.sachsen.de",
        }
    ],
    "tags": ["Politik", "Sachsen", "Digitalstrategie", "Schul-IT", "OZG", "Amt24"],
    "image": None,
    # The lead story of the demo home page, so a newcomer finds it at once.
    "featured": True,
}

# "Weitere Meldungen und Beiträge aus dem Bereich Politik" on the reference page.
# Dates, kickers, headlines, teasers, type labels and captions are the page's;
# the bodies are ours, since the page shows only the teasers.
RELATED = [
    {
        "section": "politik",
        "kind": "news",
        "kicker": "Niedersachsen",
        "headline": "Kooperation mit govdigital",
        "published": "2024-05-22T10:30:00+02:00",
        "teaser": (
            "Um die Digitalisierung in den niedersächsischen Kommunen voranzubringen, hat das "
            "Land eine Kooperation mit der Genossenschaft der öffentlichen IT-Dienstleister "
            "govdigital geschlossen."
        ),
        "body": [
            "Das Land Niedersachsen und die Genossenschaft govdigital arbeiten künftig enger "
            "zusammen. Wie das Innenministerium mitteilt, sollen die Kommunen des Landes über "
            "die Kooperation leichter auf gemeinsam entwickelte Lösungen und Infrastrukturen "
            "der öffentlichen IT-Dienstleister zugreifen können. Doppelentwicklungen ließen "
            "sich so vermeiden und bewährte Anwendungen schneller in die Fläche bringen.",
            "Im Mittelpunkt stehen zunächst Cloud-Dienste und Plattformen für "
            "Online-Verwaltungsleistungen. Nach Angaben des Ministeriums ist die Zusammenarbeit "
            "offen angelegt: Weitere kommunale IT-Dienstleister und Landesbehörden können sich "
            "anschließen.",
        ],
        "byline": "ve",
        "links": [],
        "tags": ["Politik", "Niedersachsen", "Kooperation", "Cloud"],
        "image": None,
    },
    {
        "section": "politik",
        "kind": "report",
        "kicker": "Oldenburg",
        "headline": "Digital nach Plan",
        "published": "2024-05-21T08:00:00+02:00",
        "teaser": (
            "Der Rat der Stadt Oldenburg hat Ende 2023 die erste Digitalisierungsstrategie "
            "beschlossen. Mitarbeitende wurden dafür nach ihrer Vision für das Arbeiten im Jahr "
            "2045 gefragt. Konkrete Projekte befinden sich bereits in Planung oder Umsetzung."
        ),
        "body": [
            "Wie soll die Stadtverwaltung im Jahr 2045 arbeiten? Mit dieser Frage hat die Stadt "
            "Oldenburg die Arbeit an ihrer ersten Digitalisierungsstrategie begonnen. In "
            "Workshops und einer Online-Befragung konnten die Beschäftigten ihre Vorstellungen "
            "einbringen; mehr als tausend Rückmeldungen gingen nach Angaben der Stadt ein.",
            "Aus den Ergebnissen leitete die Verwaltung Leitlinien ab, die der Rat Ende 2023 "
            "beschlossen hat. Sie reichen von medienbruchfreien Verfahren über eine "
            "gemeinsame Datenplattform bis zur Qualifizierung der Mitarbeitenden.",
            "Mehrere Projekte befinden sich bereits in Planung oder Umsetzung, darunter die "
            "flächendeckende Einführung der E-Akte und ein Terminbuchungssystem für das "
            "Bürgerbüro. Die Strategie soll alle zwei Jahre überprüft und fortgeschrieben "
            "werden.",
        ],
        "byline": "al",
        "links": [],
        "tags": ["Politik", "Niedersachsen", "Digitalstrategie", "E-Akte"],
        "image": {
            "caption": "Oldenburg ist auf dem Weg zum digitalen Rathaus.",
            "alt": "Fassade des Oldenburger Rathauses",
            "credit": "Stadt Oldenburg",
        },
    },
    {
        "section": "politik",
        "kind": "news",
        "kicker": "Düsseldorf",
        "headline": "Digitalstrategie neu ausgerichtet",
        "published": "2024-04-23T11:15:00+02:00",
        "teaser": (
            "Die nordrhein-westfälische Landeshauptstadt Düsseldorf hat ihre Digitalstrategie "
            "neu ausgerichtet. Einbezogen wurden Anforderungen aus Politik, Wirtschaft und der "
            "Stadtgesellschaft sowie Best Practices anderer Kommunen."
        ),
        "body": [
            "Die Landeshauptstadt Düsseldorf hat ihre Digitalstrategie überarbeitet. Wie die "
            "Stadt mitteilt, flossen in die Neuausrichtung Anforderungen aus Politik, "
            "Wirtschaft und Stadtgesellschaft ein; zudem wurden Erfahrungen anderer Kommunen "
            "ausgewertet.",
            "Die Strategie bündelt die Vorhaben in vier Handlungsfeldern: digitale "
            "Verwaltungsleistungen, moderne Arbeitsplätze, Daten als Grundlage für "
            "Entscheidungen sowie eine sichere und nachhaltige IT-Infrastruktur.",
        ],
        "byline": "ve",
        "links": [],
        "tags": ["Politik", "Nordrhein-Westfalen", "Digitalstrategie"],
        "image": {
            "caption": "Die Stadt Düsseldorf hat ihre Digitalstrategie neu ausgerichtet.",
            "alt": "Blick auf die Düsseldorfer Rheinuferpromenade",
            "credit": "Landeshauptstadt Düsseldorf",
        },
    },
    {
        "section": "politik",
        "kind": "news",
        "kicker": "Thüringen",
        "headline": "E-Government-Gesetz wird novelliert",
        "published": "2024-04-18T14:00:00+02:00",
        "teaser": (
            "Das Landeskabinett Thüringen hat die Novellierung des E-Government-Gesetzes "
            "beschlossen. Die interkommunale Zusammenarbeit soll gestärkt und die Abkehr von "
            "dem Schriftformerfordernis erleichtert werden – wichtige Schritte, um digitale "
            "Verwaltungsleistungen künftig flächendeckend anbieten zu können."
        ),
        "body": [
            "Thüringen modernisiert sein E-Government-Gesetz. Der vom Kabinett beschlossene "
            "Entwurf sieht nach Angaben des Finanzministeriums vor, dass Kommunen digitale "
            "Verfahren einfacher gemeinsam betreiben können. Zugleich sollen Vorschriften, die "
            "eine handschriftliche Unterschrift verlangen, leichter durch elektronische "
            "Verfahren ersetzt werden können.",
            "Der Gesetzentwurf wird nun dem Landtag zugeleitet. Das Land will damit die "
            "Voraussetzungen schaffen, damit digitale Verwaltungsleistungen nicht nur in "
            "einzelnen Kommunen, sondern flächendeckend angeboten werden.",
        ],
        "byline": "th",
        "links": [],
        "tags": ["Politik", "Thüringen", "E-Government-Gesetz", "OZG"],
        "image": {
            "caption": (
                "Eine Novelle des Thüringer E-Government-Gesetzes soll dazu beitragen, dass "
                "digitale Verwaltungsleistungen schneller in die Fläche kommen."
            ),
            "alt": "Thüringer Landtag in Erfurt",
            "credit": "Redaktion",
        },
    },
    {
        "section": "politik",
        "kind": "report",
        "kicker": "Chief Digital Officer",
        "headline": "Mädchen für alles",
        "published": "2024-04-09T09:45:00+02:00",
        "teaser": (
            "Immer mehr Kommunen richten die Stelle eines Chief Digital Officer (CDO) ein, um "
            "für die digitale Transformation gerüstet zu sein und sie voranzutreiben. "
            "Angesiedelt zwischen Leitungs- und Umsetzungsebene, verlangt der Posten "
            "unterschiedliche Geschicke."
        ),
        "body": [
            "Ob Großstadt oder Landkreis: Immer mehr Kommunen schaffen die Stelle eines Chief "
            "Digital Officer. Die Aufgaben sind vielfältig. CDOs entwickeln Strategien, "
            "koordinieren Projekte quer durch die Fachbereiche und sollen zugleich die "
            "Beschäftigten für den Wandel gewinnen.",
            "Eine Umfrage unter kommunalen Digitalverantwortlichen zeigt, wie unterschiedlich "
            "die Stellen zugeschnitten sind. Manche CDOs sind direkt der Verwaltungsspitze "
            "zugeordnet, andere leiten zugleich die IT-Abteilung. Einig sind sich die Befragten "
            "darin, dass der Erfolg vor allem von klaren Befugnissen abhängt.",
            "Gefragt sind neben technischem Verständnis vor allem Kommunikations- und "
            "Führungsstärke. Wer die Digitalisierung vorantreiben will, muss Fachbereiche, "
            "Personalrat und Politik gleichermaßen mitnehmen.",
        ],
        "byline": "co",
        "links": [],
        "tags": ["Politik", "Chief Digital Officer", "Personal", "Digitalstrategie"],
        "image": {
            "caption": "CDOs sind oft mit einer Fülle an Aufgaben konfrontiert.",
            "alt": "Schreibtisch mit Laptop, Notizblock und mehreren Aktenordnern",
            "credit": "Redaktion",
        },
    },
]
