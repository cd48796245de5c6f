"""The admin action that erases a subscriber on request (Art. 17 GDPR), after a confirmation page.

Only holders of subscriptions.erase_subscriber (the "Datenschutz" group)
see it. The page lists, for each subscriber chosen, what goes now and what
the law makes us keep, until when and why (subscriptions.erasure), or why
it is refused; only the POST from that page erases.
"""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from subscriptions import erasure

PERMISSION = "subscriptions.erase_subscriber"


def has_erase_permission(modeladmin, request):
    return request.user.has_perm(PERMISSION)


@admin.action(
    description=_("Personenbezogene Daten löschen (Art. 17 DSGVO)"), permissions=["erase"]
)
def erase_personal_data(modeladmin, request, queryset):
    subscribers = list(queryset.order_by("pk"))
    if request.POST.get("confirmed") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.opts,
            "title": _("Personenbezogene Daten löschen (Art. 17 DSGVO)"),
            "crumb": _("Löschen nach Art. 17 DSGVO"),
            "assessments": [erasure.assess(subscriber) for subscriber in subscribers],
            "action": "erase_personal_data",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/subscriptions/subscriber/erase.html", context)
    done = 0
    for subscriber in subscribers:
        result = erasure.erase(subscriber, request.user)
        if result.refusal:
            modeladmin.message_user(
                request,
                _("%(number)s nicht gelöscht: %(why)s")
                % {"number": subscriber.customer_number, "why": result.refusal},
                messages.WARNING,
            )
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext(
                "Die Daten von %d Abonnenten wurden gelöscht; die Bestätigung geht an die "
                "bisherige E-Mail-Adresse.",
                "Die Daten von %d Abonnenten wurden gelöscht; die Bestätigungen gehen an die "
                "bisherigen E-Mail-Adressen.",
                done,
            )
            % done,
            messages.SUCCESS,
        )
    return None
