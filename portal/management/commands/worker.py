"""manage.py worker: runs queued tasks, the clock of periodic ones, and recovers lost ones."""

from django.core.management.base import BaseCommand

from portal.lib import tasks


class Command(BaseCommand):
    help = (
        "Führt Hintergrundaufgaben aus (E-Mails, Newsletter, regelmäßige Arbeiten) und stellt "
        "Aufgaben abgestürzter Worker neu ein. Mehrere Worker auf mehreren Rechnern teilen "
        "sich die Warteschlange; SIGTERM beendet nach der laufenden Aufgabe."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Nur bis nichts mehr fällig ist, dann beenden."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Sekunden Pause, wenn nichts fällig ist (Standard 1).",
        )
        parser.add_argument("--worker-id", help="Eindeutiger Name (Standard: Rechner-PID-Zufall).")

    def handle(self, *args, batch=False, interval=1.0, worker_id=None, **options):
        worker = tasks.Worker(
            interval=interval,
            batch=batch,
            worker_id=worker_id and tasks.WORKER_PREFIX + worker_id,
        )
        if options["verbosity"] >= 1:
            self.stdout.write(f"Worker {worker.worker_id} läuft.")
        with tasks.signals_stop(worker):
            done = worker.run()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Worker {worker.worker_id}: {done} Aufgaben erledigt.")
