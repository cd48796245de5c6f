from django.urls import path

from subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("abo/", views.manage, name="manage"),
    path("abo/anmelden/<str:secret>/", views.login, name="login"),
    path("abo/abmelden/", views.logout, name="logout"),
    path("abo/anschrift/", views.change_address, name="change-address"),
    path("abo/email/", views.change_email, name="change-email"),
    path("abo/email/<str:secret>/", views.confirm_email, name="confirm-email"),
    path("abo/kuendigen/", views.cancel, name="cancel"),
    path("abo/widerrufen/", views.withdraw, name="withdraw"),
    path("abo/erklaerung/<str:token>/", views.receipt, name="receipt"),
    path("abo/erklaerung/<str:token>/pdf/", views.receipt_pdf, name="receipt-pdf"),
    path("abo/bestellen/", views.order, name="order"),
    path("abo/bestellt/", views.ordered, name="ordered"),
    path("newsletter/", views.newsletter, name="newsletter"),
    path(
        "newsletter/bestaetigen/<str:secret>/", views.newsletter_confirm, name="newsletter-confirm"
    ),
    path(
        "newsletter/abmelden/<str:signed>/",
        views.newsletter_unsubscribe,
        name="newsletter-unsubscribe",
    ),
]
