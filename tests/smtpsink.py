"""A mail server for tests and benchmarks: accepts everything, notes who got what.

Enough SMTP for Django's backend. ``delay`` slows the greeting (a slow
relay); ``hold()`` makes every connection wait at its next DATA command, as
a server that is slow to take the message, until ``release()``: a client
killed meanwhile has not delivered its message.
"""

import socketserver
import threading
import time


class SmtpSink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, delay=0.0):
        self.delay = delay
        self.delivered = []  # one list of recipients per accepted message
        self.waiting = 0  # connections held at DATA right now
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._open.set()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def received(self):
        return len(self.delivered)

    @property
    def port(self):
        return self.server_address[1]

    def start(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def hold(self):
        self._open.clear()

    def release(self):
        self._open.set()

    def wait_until(self, condition, timeout=30.0):
        """Poll ``condition(self)`` until true; False after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not condition(self):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        server = self.server
        time.sleep(server.delay)  # a slow relay: the greeting takes its time
        self.wfile.write(b"220 sink\r\n")
        recipients = []
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                self.wfile.write(b"250 sink\r\n")
            elif command.startswith(b"RCPT TO:"):
                recipients.append(line.strip()[8:].strip(b"<> ").decode())
                self.wfile.write(b"250 ok\r\n")
            elif command == b"DATA":
                with server._lock:
                    server.waiting += 1
                server._open.wait()
                with server._lock:
                    server.waiting -= 1
                try:
                    self.wfile.write(b"354 go on\r\n")
                except OSError:  # the client is gone: nothing was delivered
                    return
                while (data := self.rfile.readline()) != b".\r\n":
                    if not data:  # the client died halfway through the message
                        return
                with server._lock:
                    server.delivered.append(recipients)
                recipients = []
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            elif command == b"RSET":
                recipients = []
                self.wfile.write(b"250 ok\r\n")
            else:  # MAIL, NOOP
                self.wfile.write(b"250 ok\r\n")
