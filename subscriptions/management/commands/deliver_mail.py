"""The mail worker: sends what waits in the outbox once its next attempt is due."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from subscriptions import mail
from subscriptions.models import OutgoingMail

BATCH = 100


class Command(BaseCommand):
    help = (
        "Versendet wartende E-Mails aus dem Postausgang erneut (Bestätigungen, Anmeldelinks, "
        "Newsletter), deren nächster Versuch fällig ist. Läuft als Dienst weiter; mit --once "
        "nur eine Runde (für cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Eine Runde, dann beenden.")
        parser.add_argument(
            "--interval", type=int, default=30, help="Sekunden zwischen zwei Runden (Standard 30)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, was fällig ist.")

    def handle(self, *args, once=False, interval=30, dry_run=False, **options):
        if dry_run:
            due = OutgoingMail.objects.filter(state=OutgoingMail.State.QUEUED).count()
            self.stdout.write(f"{due} E-Mails warten.")
            return
        while True:
            # A round sends batches until nothing due is left (after an outage, many are).
            sent = batch = mail.deliver_due(limit=BATCH)
            while batch == BATCH:
                batch = mail.deliver_due(limit=BATCH)
                sent += batch
            if sent or once:
                waiting = OutgoingMail.objects.filter(state=OutgoingMail.State.QUEUED).count()
                self.stdout.write(f"{sent} E-Mails versendet, {waiting} warten noch.")
            if once:
                return
            close_old_connections()
            time.sleep(interval)
