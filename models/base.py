"""The database proxy and the base model every table inherits."""
from datetime import datetime

from peewee import DatabaseProxy, Model, Select

db = DatabaseProxy()


def now():
    """Naive local time, second precision: what users read and what both backends store alike."""
    return datetime.now().replace(microsecond=0)


def counts(*queries):
    """The results of several one-value queries (counts) in one round trip — SELECT (…), (…):
    on a page read often, building and running a query each costs more than the SQL."""
    return Select(columns=list(queries)).bind(db).tuples().get()


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False
