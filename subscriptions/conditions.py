"""A plan's or a contract's terms in words: one text for the order page, the AGB and the mails.

What § 312j Abs. 2 BGB (with Art. 246a § 1 Abs. 1 Nr. 1, 5, 7, 8, 14, 15 EGBGB)
wants right before the order and the PAngV wants with every price: what it
is, the total price with the VAT it includes, shipping costs, how to pay,
the minimum term, whether it renews, and the notice. The sentences are
made here only, from the plan (or the contract's agreed copy) and the dates
terms.py computes, so the order page, the AGB and the mails cannot say
different things. Given a start day, the dates are spelled out as well.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import dateformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from subscriptions import terms


@dataclass(frozen=True)
class Line:
    label: str
    text: str


@dataclass(frozen=True)
class Agreement:
    """What the words are made from: a plan's terms, or a contract's as agreed.

    ``minimum_term_months`` is None for a contract (its end date says it);
    ``shipping`` is None for contracts made before plans knew their
    shipping costs. The dates are None for a plan without a start day.
    """

    description: str
    delivered_by_post: bool
    price: Decimal
    vat_rate: Decimal
    shipping: Decimal | None
    billing_months: int
    payment_methods: str
    minimum_term_months: int | None
    renews: bool
    notice_months: int
    renewal_months: int
    concluded_on: datetime.date | None = None
    starts_on: datetime.date | None = None
    minimum_term_ends: datetime.date | None = None

    @classmethod
    def of_plan(cls, plan, starts_on=None):
        """The plan's terms; with ``starts_on``, for a contract concluded and begun that day."""
        months = plan.minimum_term_months
        return cls(
            description=plan.description,
            delivered_by_post=plan.delivered_by_post,
            price=plan.price,
            vat_rate=plan.vat_rate,
            shipping=plan.shipping,
            billing_months=plan.billing_months,
            payment_methods=plan.payment_methods,
            minimum_term_months=months,
            renews=plan.renews,
            notice_months=plan.notice_months,
            renewal_months=plan.billing_months or 12,
            concluded_on=starts_on,
            starts_on=starts_on,
            minimum_term_ends=terms.term_end(starts_on, months) if starts_on and months else None,
        )

    @classmethod
    def of_contract(cls, subscription):
        """The contract's terms as agreed (copied from the plan when it was made)."""
        plan = subscription.plan
        return cls(
            description=plan.description,
            delivered_by_post=plan.delivered_by_post,
            price=subscription.price,
            vat_rate=plan.vat_rate,
            shipping=subscription.shipping,
            billing_months=plan.billing_months,
            payment_methods=plan.payment_methods,
            minimum_term_months=None,
            renews=subscription.renews,
            notice_months=subscription.notice_months,
            renewal_months=subscription.renewal_months,
            concluded_on=subscription.concluded_on,
            starts_on=subscription.starts_on,
            minimum_term_ends=subscription.minimum_term_ends,
        )

    @property
    def has_term(self):
        return bool(self.minimum_term_months) or self.minimum_term_ends is not None

    @property
    def fixed_term(self):
        """Ends by itself after its term: terms.py lets only such contracts not run on."""
        return self.has_term and not self.renews


def money(amount):
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)} €"


def percent(rate):
    rate = Decimal(rate)
    places = 0 if rate == rate.to_integral_value() else len(str(rate.normalize()).split(".")[1])
    return f"{number_format(rate, places, use_l10n=True)} %"


def day(date):
    return dateformat.format(date, "j. F Y")


def _per(months):
    return ngettext("pro Monat", "für %(months)d Monate", months) % {"months": months}


def _count_months(count):
    return ngettext("%(count)d Monat", "%(count)d Monate", count) % {"count": count}


def _months(count):
    return ngettext("einem Monat", "%(count)d Monaten", count) % {"count": count}


def lines(agreement):
    """The terms as (label, sentence) lines, in the order the order page shows them."""
    result = []
    if agreement.description:
        result.append(Line(_("Leistung"), agreement.description))
    result.append(
        Line(
            _("Preis"),
            _("%(price)s %(per)s (Gesamtpreis einschließlich %(vat)s Umsatzsteuer)")
            % {
                "price": money(agreement.price),
                "per": _per(agreement.billing_months),
                "vat": percent(agreement.vat_rate),
            },
        )
    )
    shipping = _shipping(agreement)
    if shipping:
        result.append(Line(_("Versandkosten"), shipping))
    result.append(
        Line(
            _("Zahlung"),
            _("%(methods)s; abgerechnet wird %(every)s.")
            % {
                "methods": agreement.payment_methods,
                "every": ngettext("monatlich", "alle %(months)d Monate", agreement.billing_months)
                % {"months": agreement.billing_months},
            },
        )
    )
    result.append(_term(agreement))
    result.append(Line(_("Kündigung"), _notice(agreement)))
    return result


def _shipping(agreement):
    if not agreement.delivered_by_post:
        return _("keine (digitale Lieferung)")
    if agreement.shipping is None:
        return None
    if not agreement.shipping:
        return _("keine (Lieferung per Post innerhalb Deutschlands im Preis enthalten)")
    per = _per(agreement.billing_months)
    return _(
        "%(shipping)s %(per)s zusätzlich zum Preis (Lieferung per Post innerhalb "
        "Deutschlands); zusammen %(total)s %(per)s"
    ) % {
        "shipping": money(agreement.shipping),
        "per": per,
        "total": money(agreement.price + agreement.shipping),
    }


def _term(agreement):
    months, start, last = (
        agreement.minimum_term_months,
        agreement.starts_on,
        agreement.minimum_term_ends,
    )
    if not agreement.has_term:
        return Line(_("Mindestlaufzeit"), _("keine"))
    if months and start:
        span = _("%(months)s (bei Beginn am %(start)s bis zum %(last)s)") % {
            "months": _count_months(months),
            "start": day(start),
            "last": day(last),
        }
    elif months:
        span = _("%(months)s ab Beginn des Abonnements") % {"months": _count_months(months)}
    else:
        span = _("vom %(start)s bis zum %(last)s") % {"start": day(start), "last": day(last)}
    if agreement.fixed_term:
        return Line(
            _("Laufzeit"),
            _("%(span)s; danach endet das Abonnement von selbst und verlängert sich nicht.")
            % {"span": span},
        )
    return Line(_("Mindestlaufzeit"), span)


def _notice(agreement):
    notice, last = agreement.notice_months, agreement.minimum_term_ends
    if agreement.fixed_term:
        return _("nicht nötig, das Abonnement endet mit der Laufzeit.")
    if agreement.concluded_on and agreement.concluded_on < terms.FAIR_CONTRACTS_SINCE:
        return _before_fair_contracts(agreement)
    # Since 1.3.2022 a contract runs on indefinitely, with at most a month's notice (terms.py).
    later = (
        _("jederzeit mit einer Frist von %(notice)s") % {"notice": _months(min(notice, 1))}
        if notice
        else _("jederzeit ohne Frist")
    )
    if not agreement.has_term:
        if agreement.starts_on is None:
            return later + "."
        example = terms.add_months(agreement.starts_on, min(notice, 1))
        return _(
            "%(later)s. Beispiel: Geht die Kündigung am %(received)s ein, endet das "
            "Abonnement am %(end)s."
        ) % {"later": later, "received": day(agreement.starts_on), "end": day(example)}
    if notice:
        first = _("mit einer Frist von %(notice)s zum Ende der Mindestlaufzeit") % {
            "notice": _months(notice)
        }
    else:
        first = _("bis zum letzten Tag der Mindestlaufzeit zu deren Ende")
    if last is not None:
        first += _(" (Eingang bis zum %(deadline)s)") % {
            "deadline": day(terms.notice_deadline(last, notice))
        }
    return _(
        "%(first)s. Ohne Kündigung läuft das Abonnement danach auf unbestimmte Zeit weiter "
        "und ist dann %(later)s kündbar."
    ) % {"first": first, "later": later}


def _before_fair_contracts(agreement):
    """Contracts concluded before 1.3.2022 renew by whole periods (terms.cancellation_end)."""
    return _(
        "mit einer Frist von %(notice)s zum Ende der Mindestlaufzeit; ohne Kündigung "
        "verlängert sich das Abonnement um jeweils %(renewal)d Monate und ist mit derselben "
        "Frist zum Ende des jeweiligen Zeitraums kündbar."
    ) % {"notice": _months(agreement.notice_months), "renewal": agreement.renewal_months}
