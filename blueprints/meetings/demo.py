"""Demo meetings (filled in by the meetings feature)."""


def load_demo_meetings():
    return None
