"""School reports: the form with in-place checks and autosave, submission, review with remarks, acceptance, filling on a school's behalf, the .xlsx template and import of many schools' values."""
from .blueprint import bp  # noqa: F401
