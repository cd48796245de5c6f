"""The subscribers' addresses: Aboverwaltung, Kündigung and Widerruf, order, newsletter."""

from django.urls import path

from subscriptions.views import declarations, manage, my_data, newsletter, order

app_name = "subscriptions"

urlpatterns = [
    path("abo/", manage.manage, name="manage"),
    path("abo/anmelden/<str:secret>/", manage.login, name="login"),
    path("abo/abmelden/", manage.logout, name="logout"),
    path("abo/anschrift/", manage.change_address, name="change-address"),
    path("abo/email/", manage.change_email, name="change-email"),
    path("abo/email/<str:secret>/", manage.confirm_email, name="confirm-email"),
    path("abo/meine-daten/", my_data.my_data, name="my-data"),
    path("abo/meine-daten.json", my_data.my_data_json, name="my-data-json"),
    path("abo/kuendigen/", declarations.cancel, name="cancel"),
    path("abo/widerrufen/", declarations.withdraw, name="withdraw"),
    path("abo/erklaerung/<str:token>/", declarations.receipt, name="receipt"),
    path("abo/erklaerung/<str:token>/pdf/", declarations.receipt_pdf, name="receipt-pdf"),
    path("abo/nicht-ich/<str:signed>/", declarations.not_me, name="not-me"),
    path("abo/bestellen/", order.order, name="order"),
    path("abo/bestellt/", order.ordered, name="ordered"),
    path("abo/bestellung/<str:signed>/", order.confirm, name="order-confirm"),
    path("abo/widerrufsbelehrung/", order.withdrawal_policy, name="withdrawal-policy"),
    path("newsletter/", newsletter.sign_up, name="newsletter"),
    path("newsletter/bestaetigen/<str:secret>/", newsletter.confirm, name="newsletter-confirm"),
    path(
        "newsletter/abmelden/<str:signed>/",
        newsletter.unsubscribe,
        name="newsletter-unsubscribe",
    ),
]
