"""The public forms: German messages at the field, and what was typed stays."""

import datetime

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.posts import without_nul_bytes
from subscriptions import forgery
from subscriptions.contracts import ContractChoice
from subscriptions.declarations import canonical_identifier, control_characters
from subscriptions.models import POSTCODE, Declaration, Plan, new_token

# The contract field's keys are this module's own: "alle", "plan:<slug>",
# "abo:<id>". DeclarationForm.clean_contract() turns them into a ContractChoice.
ALL_CONTRACTS = "alle"


def _subscription_key(subscription):
    return f"abo:{subscription.pk}"


def contract_choices(subscriber=None):
    """Which contract: a logged-in subscriber's own ones, else the plans by name."""
    if subscriber is not None:
        own = [
            (_subscription_key(s), f"{s.plan.name} (seit {s.starts_on:%d.%m.%Y})")
            for s in subscriber.subscriptions.select_related("plan")
        ]
        return [(ALL_CONTRACTS, _("Alle meine Abonnements")), *own]
    plans = [(f"plan:{plan.slug}", plan.name) for plan in Plan.objects.all()]
    return [(ALL_CONTRACTS, _("Alle meine Abonnements")), *plans]


def contract_field():
    """ "Welcher Vertrag?": its choices are set per form (DeclarationForm)."""
    return forms.ChoiceField(
        label=_("Welcher Vertrag?"),
        initial=ALL_CONTRACTS,
        error_messages={"required": _("Bitte wählen Sie, welchen Vertrag Sie meinen.")},
    )


class MailAddressField(forms.EmailField):
    """An e-mail address as our columns keep it: 254 characters at most.

    Django's EmailField lets 320 through (the longest local part and domain
    together), but no longer address than 254 can receive mail (RFC 5321
    limits the path to 256 with its brackets), and our EmailField columns
    hold 254: a longer one gets a message at the field, not a database error.
    """

    default_error_messages = {
        "max_length": _(
            "Eine E-Mail-Adresse hat höchstens %(limit_value)d Zeichen, diese hat "
            "%(show_value)d. Bitte prüfen Sie die Adresse."
        )
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)


class SubmissionKey(forms.CharField):
    """A hidden one-time key: the same form sent twice is one declaration, not two."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, max_length=64, min_length=20, **kwargs)


NUL_BYTE = _(
    "Hier stand ein Steuerzeichen (ein Nullzeichen), das wir nicht speichern können. Wir "
    "haben es entfernt; bitte prüfen Sie die Angabe und senden Sie das Formular noch einmal ab."
)


class DeclarationForm(forms.Form):
    """What a cancellation and a withdrawal share: the choice of contract, a one-time key, a token.

    A logged-in ``subscriber`` finds their details filled in and chooses
    among their own contracts, ``chosen`` (one of them) already selected.
    Sent back, ``subscriber`` is whom the form was made for (its token says
    so, subscriptions.forgery), logged in still or not: their contracts are
    the choices. A NUL byte typed anywhere is taken out and named at its
    field (the view is marked portal.lib.posts.nul_bytes_at_the_field).
    """

    # "cancel" or "withdraw": the name of its rate limit and of its token.
    scope = None
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *args, subscriber=None, chosen=None, **kwargs):
        data, self.nul_byte_fields = without_nul_bytes(data)
        super().__init__(data, *args, **kwargs)
        choices = contract_choices(subscriber)
        self.fields["contract"].choices = choices
        submission = new_token()
        self.fields["submission"].initial = submission
        self.fields["form_token"].initial = forgery.token(self.scope, submission, subscriber)
        if subscriber is not None:
            self.initial.update(
                name=subscriber.name,
                identifier=subscriber.customer_number,
                email=subscriber.email,
            )
            own = choices[1:]
            if chosen is not None:
                self.initial["contract"] = _subscription_key(chosen)
            elif len(own) == 1:
                self.initial["contract"] = own[0][0]
            else:
                # More than one: which is theirs to say, not ours to guess (issue 19, point 10).
                self.fields["contract"].choices = [("", _("Bitte wählen")), *choices]
                self.fields["contract"].initial = None

    def clean_name(self):
        """One line of a name: no line breaks or control characters, no web address."""
        name = self.cleaned_data["name"]
        if control_characters(name):
            raise forms.ValidationError(
                _(
                    "Bitte geben Sie Ihren Namen in einer Zeile an, ohne Zeilenumbrüche "
                    "oder Steuerzeichen."
                )
            )
        if "://" in name or "www." in name.casefold():
            raise forms.ValidationError(
                _("Bitte geben Sie hier nur Ihren Namen an, keine Internetadresse.")
            )
        return " ".join(name.split())

    def clean_identifier(self):
        """A customer number however typed (k 123456, K-123456) or an e-mail address."""
        identifier = canonical_identifier(self.cleaned_data["identifier"])
        if identifier is None:
            raise forms.ValidationError(
                _(
                    "Bitte geben Sie Ihre Kundennummer (zum Beispiel K-123456) oder die "
                    "E-Mail-Adresse Ihres Abonnements an."
                )
            )
        return identifier

    def clean_contract(self):
        key = self.cleaned_data["contract"]
        description = str(dict(self.fields["contract"].choices)[key])
        kind, _colon, value = key.partition(":")
        if kind == "plan":
            return ContractChoice(description, plan_slug=value)
        if kind == "abo":
            return ContractChoice(description, subscription_id=int(value))
        return ContractChoice(description)

    def clean(self):
        cleaned = super().clean()
        for name in sorted(self.nul_byte_fields):
            if name in self.fields and not self.fields[name].widget.is_hidden:
                self.add_error(name, NUL_BYTE)
        return cleaned


class CancellationForm(DeclarationForm):
    """§ 312k BGB: exactly what identifies the person, the contract and the end, nothing more."""

    scope = "cancel"

    kind = forms.ChoiceField(
        label=_("Art der Kündigung"),
        choices=[
            (Declaration.Kind.ORDINARY, _("Ordentliche Kündigung")),
            (Declaration.Kind.EXTRAORDINARY, _("Außerordentliche Kündigung aus wichtigem Grund")),
        ],
        initial=Declaration.Kind.ORDINARY,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Grund der außerordentlichen Kündigung"),
        help_text=_("Nur bei außerordentlicher Kündigung nötig."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name = forms.CharField(label=_("Ihr Name"), max_length=150)
    identifier = forms.CharField(
        label=_("Kundennummer oder E-Mail-Adresse Ihres Abonnements"),
        max_length=254,
        help_text=_("Eines von beiden genügt, zum Beispiel K-123456."),
    )
    contract = contract_field()
    requested_end = forms.DateField(
        label=_("Zu wann?"),
        required=False,
        help_text=_("Leer lassen: zum nächstmöglichen Zeitpunkt."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    email = MailAddressField(
        label=_("E-Mail-Adresse für die Bestätigung"),
        help_text=_(
            "Dorthin schicken wir die Eingangsbestätigung mit Datum und Uhrzeit. Das "
            "Vertragsende schreiben wir an die E-Mail-Adresse, die zu Ihrem Abonnement "
            "hinterlegt ist."
        ),
    )
    submission = SubmissionKey()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Required for one kind of cancellation (clean()): not labelled "freiwillig".
        self.fields["reason"].required_when = Declaration.Kind.EXTRAORDINARY

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        if control_characters(reason, allowed="\r\n\t"):
            raise forms.ValidationError(
                _("Bitte geben Sie den Grund ohne Steuerzeichen an, nur als Text.")
            )
        return reason.strip()

    def clean_requested_end(self):
        day = self.cleaned_data.get("requested_end")
        if day and not timezone.localdate() <= day <= timezone.localdate() + datetime.timedelta(
            days=3 * 366
        ):
            raise forms.ValidationError(
                _(
                    "Bitte ein Datum zwischen heute und in drei Jahren angeben "
                    "oder das Feld leer lassen."
                )
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == Declaration.Kind.EXTRAORDINARY
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error(
                "reason", _("Bitte nennen Sie den Grund für die außerordentliche Kündigung.")
            )
        return cleaned


class WithdrawalForm(DeclarationForm):
    """§ 356a BGB: who, which contract, where the confirmation goes."""

    scope = "withdraw"

    name = forms.CharField(label=_("Ihr Name"), max_length=150)
    identifier = forms.CharField(
        label=_("Kundennummer oder E-Mail-Adresse Ihres Abonnements"), max_length=254
    )
    contract = contract_field()
    email = MailAddressField(
        label=_("E-Mail-Adresse für die Bestätigung"),
        help_text=_(
            "Dorthin schicken wir die Eingangsbestätigung mit Datum und Uhrzeit. Was der "
            "Widerruf bewirkt, schreiben wir an die E-Mail-Adresse, die zu Ihrem Abonnement "
            "hinterlegt ist."
        ),
    )
    submission = SubmissionKey()

    def clean(self):
        cleaned = super().clean()
        cleaned["kind"] = Declaration.Kind.WITHDRAWAL
        return cleaned


# The order's confirmation mail goes to whatever address was typed, with the
# address in it: a line break or control character there could dress up
# text of a stranger's choosing as ours.
SINGLE_LINE = RegexValidator(
    r"[\x00-\x1f\x7f\u2028\u2029]",
    _("Bitte in einer Zeile angeben, ohne Zeilenumbruch."),
    inverse_match=True,
)


class PlanChoice(forms.RadioSelect):
    """Each offer's radio button is described by its terms, listed under it (plan_choice.html)."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_conditions"
        return option


class OrderForm(forms.Form):
    """What an order needs; it takes effect once the e-mail address confirms it (orders)."""

    name = forms.CharField(label=_("Name"), max_length=150, validators=[SINGLE_LINE])
    organisation = forms.CharField(
        label=_("Behörde oder Organisation"),
        max_length=150,
        required=False,
        validators=[SINGLE_LINE],
    )
    email = MailAddressField(
        label=_("E-Mail-Adresse"),
        help_text=_(
            "Dorthin schicken wir einen Link, mit dem Sie die Bestellung bestätigen. "
            "Erst dann ist sie verbindlich."
        ),
    )
    street = forms.CharField(
        label=_("Straße und Hausnummer"), max_length=150, validators=[SINGLE_LINE]
    )
    postcode = forms.CharField(label=_("PLZ"), max_length=5, validators=[POSTCODE])
    city = forms.CharField(label=_("Ort"), max_length=100, validators=[SINGLE_LINE])
    # Right before the button (§ 312j Abs. 2 BGB): the offer with its terms.
    plan = forms.ModelChoiceField(
        label=_("Angebot"),
        queryset=Plan.objects.filter(orderable=True),
        empty_label=None,
        widget=PlanChoice,
        error_messages={"required": _("Bitte wählen Sie ein Angebot.")},
    )
    # Consent to the AGB, not a statement of having read them: a confirmed
    # fact in standard terms is void (§ 309 Nr. 12 b BGB).
    terms = forms.BooleanField(
        label=_("Ich stimme den Allgemeinen Geschäftsbedingungen (AGB) zu."),
        error_messages={"required": _("Bitte stimmen Sie den AGB zu, um zu bestellen.")},
    )
    submission = SubmissionKey()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = new_token()


class EmailForm(forms.Form):
    email = MailAddressField(label=_("E-Mail-Adresse Ihres Abonnements"))


class AddressForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    organisation = forms.CharField(
        label=_("Behörde oder Organisation"), max_length=150, required=False
    )
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=150)
    postcode = forms.CharField(label=_("PLZ"), max_length=5, validators=[POSTCODE])
    city = forms.CharField(label=_("Ort"), max_length=100)


class NewEmailForm(forms.Form):
    email = MailAddressField(label=_("Neue E-Mail-Adresse"))


NEWSLETTER_WORDING = _(
    "Ja, ich möchte den Newsletter von {portal} mit Nachrichten zur Verwaltungsdigitalisierung "
    "per E-Mail erhalten. Meine Einwilligung kann ich jederzeit widerrufen, etwa über den "
    "Abmeldelink in jeder Ausgabe."
)


class NewsletterForm(forms.Form):
    email = MailAddressField(label=_("E-Mail-Adresse"))
    consent = forms.BooleanField(
        error_messages={
            "required": _("Bitte bestätigen Sie, dass Sie den Newsletter erhalten möchten.")
        }
    )
