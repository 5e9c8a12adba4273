"""Background processes (job worker, warm PDF converter) really yield the CPU to the web server.

`nice` alone does not do it on Linux with autogroup scheduling (kernel.sched_autogroup_enabled,
on by default on Debian and most distributions): the CPU is first shared between *sessions*,
and nice only orders the processes inside one session. honcho (`make run`), systemd and the
PDF supervisor start every process in a session of its own, so a LibreOffice at nice 19 got the
same share as the whole gunicorn (measured during a 200-order package: soffice.bin at nice 19
took 60–90 % of a core while both gunicorn workers waited runnable, and the directory page's
p95 under wrk rose well above its figure without the package). Giving the session's autogroup
the process's nice restores what the Procfile asks for (nice 15: a package keeps about 4 % of
a core the web server saturates, so a 0.3 s conversion still ends well within its 60 s timeout;
at nice 19, 1.5 %, a long burst of traffic could starve one into it).

This module is a leaf (only the standard library): pdf_supervisor.py and worker.py use it.
"""
import logging
import os
from pathlib import Path

log = logging.getLogger("opora.priority")


def autogroup_path(pid=0):
    return Path(f"/proc/{pid or 'self'}/autogroup")


def own_session(pid=0):
    """True when `pid` leads a session of its own (its autogroup is only it and its children)."""
    pid = pid or os.getpid()
    try:
        return os.getsid(pid) == pid
    except OSError:
        return False


def hold_back(pid=0, nice=None):
    """Give the autogroup of `pid` (0: this process) the nice value `nice` (default: the
    process's own). Returns True when it was set.

    Only for a session leader: an autogroup is the whole session, and a process sharing the
    web server's session (a shell running both) must not slow the web server down with it.
    Raising a nice value needs no privilege; without autogroup (no /proc file) it is a no-op.
    """
    target = pid or os.getpid()
    if nice is None:
        try:
            nice = os.getpriority(os.PRIO_PROCESS, target)
        except OSError:
            return False
    if nice <= 0 or not own_session(target):
        return False
    path = autogroup_path(pid)
    try:
        path.write_text(str(min(19, int(nice))))
    except OSError as error:  # no autogroup support, or not permitted: nice alone applies
        log.debug("autogroup nice of %s not set: %s", target, error)
        return False
    return True
