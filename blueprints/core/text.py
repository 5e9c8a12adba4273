"""User text made safe for XML files (.docx, .xlsx, Atom): one cleaning for all of them."""
import re

# Characters XML 1.0 forbids, plus BEL and FF, which docxtpl would turn into breaks.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def normalise(value):
    """CRLF → LF and XML-forbidden characters removed, in every string of a context."""
    if isinstance(value, str):
        return _FORBIDDEN.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    return value
