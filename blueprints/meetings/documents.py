"""Protocol doctypes (filled in by the meetings feature)."""
DOCTYPES = ()
