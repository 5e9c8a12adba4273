"""`flask --app app pdf-converter`: keeps the warm PDF converters running (Procfile `converter:`).

One instance per slot (PDF_CONVERTER_INSTANCES, one per core by default), instance i on
127.0.0.1:PDF_CONVERTER_PORT+i. Each is pdf_server.py under Debian's python3 (the one with
`uno`), in a process group of its own, with a fresh private LibreOffice profile per start,
LibreOffice under `unshare -n`, and the conversion timeout of the cold path.

Supervision: an instance that exits (LibreOffice crashed, a conversion hit the timeout, a
client killed it after its own timeout) is started again, after 1 s, doubling up to 30 s
while it keeps dying within a minute; one that accepts no connection or answers no `info`
call within TIMEOUT + 30 s is taken as hung, killed and started again. This command killed
outright (SIGKILL) takes its instances with it (PR_SET_PDEATHSIG in pdf_server.py), and their
profiles are removed at the next start. Without LibreOffice or
python3-uno this command does not exit (honcho would stop the whole Procfile): it says so and
waits, and the app converts cold or reports PDF as unavailable.
"""
import importlib.util
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
import xmlrpc.client
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..jobs import priority
from . import pdf

log = logging.getLogger("opora.pdf_supervisor")
SERVER = Path(__file__).with_name("pdf_server.py")
HEALTH_EVERY = 10  # seconds between liveness checks of one instance


def unoserver_path():
    """The folder holding the unoserver package installed in this (the app's) environment."""
    spec = importlib.util.find_spec("unoserver")
    return str(Path(spec.origin).parent.parent) if spec and spec.origin else ""


def missing(python):
    """Why the warm converter cannot run here (Russian), or None."""
    if pdf.soffice_path() is None:
        return "LibreOffice (soffice) не установлен"
    if not unoserver_path():
        return "пакет unoserver не установлен (pip install -r requirements.txt)"
    try:
        ok = subprocess.run([python, "-c", "import uno"], capture_output=True,
                            timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return None if ok else f"у {python} нет модуля uno (Debian: apt-get install python3-uno)"


class Instance:
    """One warm LibreOffice on one port, restarted by `watch()` until `stop()`."""

    def __init__(self, port, python, pid_file, timeout=pdf.TIMEOUT):
        self.port, self.python, self.pid_file, self.timeout = port, python, Path(pid_file), timeout
        self.process = self.profile = None
        self.started = 0.0
        self.restarts = 0
        self._stopping = threading.Event()

    def _listening(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def start(self):
        if not self._listening():  # profiles left by a supervisor that was killed outright
            for stale in Path(tempfile.gettempdir()).glob(f"opora-lo-warm-{self.port}-*"):
                shutil.rmtree(stale, ignore_errors=True)
        self.profile = tempfile.mkdtemp(prefix=f"opora-lo-warm-{self.port}-")
        command = [self.python, str(SERVER), "--port", str(self.port),
                   "--profile", str(Path(self.profile, "profile")),
                   "--pipe", f"opora-{self.port}-{uuid.uuid4().hex[:12]}",
                   "--soffice", pdf.soffice_path(), "--sandbox", json.dumps(pdf.network_sandbox()),
                   "--timeout", str(self.timeout), "--parent", str(os.getpid()),
                   "--unoserver-path", unoserver_path()]
        # A group of its own: killing it kills LibreOffice and its helpers too.
        self.process = subprocess.Popen(command, start_new_session=True, stdin=subprocess.DEVNULL)
        # Its session's nice = ours (19 in the Procfile): else, in a session of its own, the
        # instance would get as much CPU as the whole web server (jobs/priority.py).
        priority.hold_back(self.process.pid)
        self.started = time.monotonic()
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(str(self.process.pid))
        log.info("pdf converter on port %s started (pid %s)", self.port, self.process.pid)

    def kill(self):
        process, self.process = self.process, None
        if process is not None:
            for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
                try:
                    os.killpg(process.pid, sig)
                except OSError:
                    break
                try:
                    process.wait(grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
            try:  # helpers left in the group after the leader died
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                pass
        if self.pid_file.exists():
            self.pid_file.unlink(missing_ok=True)
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None

    def answers(self, timeout):
        """True when `info` answers within `timeout` (it waits behind a running conversion)."""
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}",
                                          transport=pdf._TimeoutTransport(timeout))
        try:
            return proxy.info().get("api") == "3"
        except (OSError, xmlrpc.client.Error):
            return False
        finally:
            proxy("close")()

    def wait_ready(self, timeout=90):
        """Wait until this instance converts (tests, bench); False if it died or took too long."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self.answers(10)
            except OSError:
                time.sleep(0.2)
        return False

    def watch(self):
        """Start, then restart whenever the instance dies or hangs, until stop()."""
        delay = 0.5  # doubled before its first use: the first restart waits 1 s
        self.start()
        last_check = time.monotonic()
        while not self._stopping.wait(0.5):
            dead = self.process.poll() is not None
            if not dead and time.monotonic() - last_check >= HEALTH_EVERY \
                    and time.monotonic() - self.started > 90:
                last_check = time.monotonic()
                if not self.answers(self.timeout + 30):
                    log.warning("pdf converter on port %s hangs: killing it", self.port)
                    dead = True
            if dead and not self._stopping.is_set():
                rc = self.process.poll()
                short_lived = time.monotonic() - self.started < 60
                self.kill()
                delay = min(delay * 2, 30) if short_lived else 1
                log.warning("pdf converter on port %s stopped (rc=%s): restarting in %s s",
                            self.port, rc, delay)
                if self._stopping.wait(delay):
                    break
                self.restarts += 1
                self.start()
        self.kill()

    def stop(self):
        self._stopping.set()


class Supervisor:
    """Every instance of this host, each watched by a thread of its own."""

    def __init__(self, port, count, python, lock_dir, timeout=pdf.TIMEOUT):
        self.instances = [Instance(port + i, python, Path(lock_dir, f"pdf-converter-{port + i}.pid"),
                                   timeout) for i in range(count)]
        self.threads = []

    @classmethod
    def from_config(cls):
        config = current_app.config
        return cls(int(config["PDF_CONVERTER_PORT"]), int(config["PDF_CONVERTER_INSTANCES"]),
                   config["PDF_CONVERTER_PYTHON"], pdf.pid_file(0).parent)

    def start(self):
        for instance in self.instances:
            thread = threading.Thread(target=instance.watch, name=f"pdf-converter-{instance.port}",
                                      daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        for instance in self.instances:
            while instance.process is None and time.monotonic() < deadline:
                time.sleep(0.05)
            if not instance.wait_ready(max(1, deadline - time.monotonic())):
                return False
        return True

    def stop(self):
        for instance in self.instances:
            instance.stop()
        for thread in self.threads:
            thread.join(30)


@click.command("pdf-converter")
@with_appcontext
def pdf_converter_command():
    """Run the warm PDF converters (one LibreOffice per core) and restart them when they die."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = current_app.config
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stopped.set())
    if not config["PDF_CONVERTER_PORT"]:
        click.echo("PDF_CONVERTER_PORT=0: тёплый конвертер PDF выключен.")
        stopped.wait()
        return
    reason = missing(config["PDF_CONVERTER_PYTHON"])
    if reason:
        # Not an exit: honcho would stop the whole Procfile. PDFs convert cold (or not at all).
        click.echo(f"Тёплый конвертер PDF не запущен: {reason}.")
        stopped.wait()
        return
    priority.hold_back()  # the supervisor's own session too (its instances: Instance.start)
    supervisor = Supervisor.from_config().start()
    ports = ", ".join(str(i.port) for i in supervisor.instances)
    click.echo(f"Тёплый конвертер PDF: {len(supervisor.instances)} экз., 127.0.0.1:{ports}")
    stopped.wait()
    supervisor.stop()
