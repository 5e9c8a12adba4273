"""One warm LibreOffice behind an XML-RPC port on 127.0.0.1: the converter's server side.

Run by Debian's /usr/bin/python3 (the one that has `uno`), never imported by the app:
`flask pdf-converter` (blueprints/documents/pdf_supervisor.py) starts and restarts it.
unoserver's UnoConverter does the conversion; the endpoint speaks unoserver's API 3
(`info`, `convert`), so its client (`unoserver.client.UnoClient`, `unoconvert --port`)
works against it too, with two differences made for safety:

- LibreOffice runs cut off the network (`unshare -n`, SECURITY-NOTES §2.4: it fetches
  image URLs found in a .docx). unoserver talks to it over a TCP port, which a process in
  another network namespace cannot reach; here it talks over a UNO *pipe* (a Unix socket
  in the file system), which can;
- only bytes in, bytes out: `inpath`/`outpath` are refused, so whoever reaches the port
  cannot make it read or write files.

A conversion longer than --timeout kills LibreOffice and ends this process (exit 3);
LibreOffice dying ends it too (exit 1). The supervisor then starts a fresh one.
"""
import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import xmlrpc.client
import xmlrpc.server
from pathlib import Path

log = logging.getLogger("opora.pdf_server")
API_VERSION = "3"  # unoserver's


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--profile", required=True, help="private LibreOffice profile folder")
    parser.add_argument("--pipe", required=True, help="UNO pipe name, unique per instance")
    parser.add_argument("--soffice", default="soffice")
    parser.add_argument("--sandbox", default="[]", help="JSON command prefix, e.g. [\"unshare\", \"-n\"]")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--parent", type=int, default=0, help="the supervisor's pid")
    parser.add_argument("--unoserver-path", default="",
                        help="folder holding the unoserver package (the app's site-packages)")
    return parser.parse_args()


def _tiny_docx():
    """A one-paragraph .docx, written without python-docx (not installed for this Python)."""
    import io
    import zipfile
    main_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/><Override PartName="/word/document.xml" '
            f'ContentType="{main_type}"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{office}" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Прогрев'
            '</w:t></w:r></w:p></w:body></w:document>'),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def main():
    args = _arguments()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s pdf-server[%(process)d] %(message)s")
    logging.getLogger("unoserver").setLevel(logging.WARNING)  # not two lines per conversion
    if args.unoserver_path:
        sys.path.append(args.unoserver_path)  # appended: Debian's own modules (uno) come first
    import uno  # fails early and clearly without python3-uno
    from unoserver import converter

    connection = f"pipe,name={args.pipe};urp;StarOffice.ComponentContext"

    class PipeConverter(converter.UnoConverter):
        """unoserver's converter, connected through the pipe instead of a TCP port."""

        def __init__(self):
            self.local_context = uno.getComponentContext()
            self.resolver = self.local_context.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", self.local_context)
            self.context = self.resolver.resolve(f"uno:{connection}")
            self.service = self.context.ServiceManager
            self.desktop = self.service.createInstanceWithContext(
                "com.sun.star.frame.Desktop", self.context)
            self.filter_service = self.service.createInstanceWithContext(
                "com.sun.star.document.FilterFactory", self.context)
            self.type_service = self.service.createInstanceWithContext(
                "com.sun.star.document.TypeDetection", self.context)
            self.temp_dir = args.profile + "-tmp"
            self._export_filters = None
            self._import_filters = None

    try:  # the supervisor killed outright (SIGKILL) must not leave this server behind
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if args.parent and os.getppid() != args.parent:  # it died before the line above
        sys.exit(0)
    profile = Path(args.profile)
    profile.mkdir(parents=True, exist_ok=True)
    Path(args.profile + "-tmp").mkdir(parents=True, exist_ok=True)
    command = [*json.loads(args.sandbox), args.soffice, "--headless", "--invisible",
               "--nocrashreport", "--nodefault", "--nologo", "--nofirststartwizard", "--norestore",
               "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}", f"--accept={connection}"]
    office = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                              env=dict(os.environ, HOME=str(profile)))

    def end(code):
        """Kill LibreOffice with every helper (the group this server leads), then exit."""
        office.kill()
        if os.getpgid(0) == os.getpid():  # started by the supervisor: a group of its own
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            os.killpg(os.getpid(), signal.SIGKILL)
        os._exit(code)

    def stop(*_):
        end(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    deadline = time.monotonic() + 60
    while True:
        try:
            office_converter = PipeConverter()
            break
        except Exception:  # noqa: BLE001 (NoConnectException until LibreOffice listens)
            if office.poll() is not None or time.monotonic() > deadline:
                log.error("LibreOffice did not start (rc=%s)", office.poll())
                end(1)
            time.sleep(0.1)

    try:  # the first document loads Writer's import and export filters (≈0.7 s): not a user's
        office_converter.convert(indata=_tiny_docx(), convert_to="pdf")
    except Exception as error:  # noqa: BLE001 (a failed warm-up is no reason not to serve)
        log.warning("warm-up conversion failed: %s", error)

    busy = threading.Lock()

    def info():
        return {"unoserver": "opora", "api": API_VERSION, "import_filters": {},
                "export_filters": {}, "libreoffice_version": ""}

    def convert(inpath=None, indata=None, outpath=None, convert_to=None, filtername=None,
                filter_options=(), update_index=True, infiltername=None, password=None):
        if inpath is not None or outpath is not None or indata is None:
            raise ValueError("only indata in, bytes out")
        result = {}

        def run():
            try:
                result["data"] = office_converter.convert(
                    indata=indata.data, convert_to=convert_to or "pdf", filtername=filtername,
                    filter_options=list(filter_options or ()), update_index=update_index)
            except BaseException as error:  # noqa: BLE001 (handed to the XML-RPC caller)
                result["error"] = error

        with busy:
            started = time.monotonic()
            worker = threading.Thread(target=run, daemon=True)
            worker.start()
            worker.join(args.timeout)
            if worker.is_alive():
                log.error("conversion took over %s s: killing LibreOffice", args.timeout)
                end(3)
            if "error" in result:
                raise RuntimeError(str(result["error"])[:500])
            log.info("converted in %.2f s", time.monotonic() - started)
            return xmlrpc.client.Binary(result["data"])

    server = xmlrpc.server.SimpleXMLRPCServer(("127.0.0.1", args.port), allow_none=True,
                                              logRequests=False)
    server.register_function(info)
    server.register_function(convert)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log.info("ready on 127.0.0.1:%s (LibreOffice pid %s)", args.port, office.pid)
    rc = office.wait()
    log.error("LibreOffice exited (rc=%s)", rc)
    end(1)


if __name__ == "__main__":
    main()
