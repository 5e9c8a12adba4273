"""Files by content hash under STORAGE_DIR, behind an interface an object store could replace."""
import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app


class FileStorage:
    def __init__(self, root):
        self.root = Path(root)

    def _path(self, sha256):
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256")
        return self.root / "files" / sha256[:2] / sha256

    def put(self, data):
        """Store bytes once; return their sha256."""
        sha256 = hashlib.sha256(data).hexdigest()
        path = self._path(sha256)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename: a reader never sees half a file.
            fd, tmp = tempfile.mkstemp(dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        return sha256

    def get(self, sha256):
        return self._path(sha256).read_bytes()

    def exists(self, sha256):
        return self._path(sha256).exists()

    def path(self, sha256):
        return self._path(sha256)


def storage():
    return FileStorage(current_app.config["STORAGE_DIR"])
