"""The database proxy and the base model every table inherits."""
from datetime import datetime

from peewee import DatabaseProxy, Model

db = DatabaseProxy()


def now():
    """Naive local time, second precision: what users read and what both backends store alike."""
    return datetime.now().replace(microsecond=0)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False
