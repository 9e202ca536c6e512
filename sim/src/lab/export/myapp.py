# The app of a Rollout Lab scenario, played on a real cluster. It listens on 8080 once
# STARTUP_SECONDS have passed, answers GET / after LATENCY_MS (an error for a share
# ERROR_RATE of them, never for the probes' /healthz), exits CRASH_AFTER_SECONDS after it
# starts when set (a crash loop), and on SIGTERM does what ON_SIGTERM says: exit at once,
# drain (stop accepting, finish what is in flight, then exit) or ignore it until SIGKILL.
import os
import random
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

env = os.environ.get
VERSION = env("VERSION", "myapp")
LATENCY = float(env("LATENCY_MS", "40")) / 1000
ERROR_RATE = float(env("ERROR_RATE", "0"))
ON_SIGTERM = env("ON_SIGTERM", "exit")


class App(BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(LATENCY)
        failed = self.path != "/healthz" and random.random() < ERROR_RATE
        body = f"{VERSION}{' error' if failed else ''}\n".encode()
        self.send_response(500 if failed else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    # Draining waits for the requests in flight: server_close() joins their threads.
    daemon_threads = False


def on_sigterm(signum, frame):
    if ON_SIGTERM == "exit":
        os._exit(0)
    if ON_SIGTERM == "drain":
        threading.Thread(target=server.shutdown).start()


if env("CRASH_AFTER_SECONDS"):
    threading.Timer(float(env("CRASH_AFTER_SECONDS")), lambda: os._exit(1)).start()
time.sleep(float(env("STARTUP_SECONDS", "0")))
server = Server(("", 8080), App)
signal.signal(signal.SIGTERM, on_sigterm)
server.serve_forever()
server.server_close()
