"""The baseline for `make bench`: Flask + peewee rendering the same 50 directory rows, nothing else."""
import os

from flask import Flask
from peewee import BooleanField, CharField, Model
from playhouse.db_url import connect

db = connect(os.environ["DATABASE_URL"], pragmas={"journal_mode": "wal"})
app = Flask(__name__)


class Organization(Model):
    kind = CharField()
    short_name = CharField()
    municipality = CharField()
    head_name = CharField()
    inn = CharField()
    is_leader = BooleanField()
    is_low_result = BooleanField()

    class Meta:
        database = db
        table_name = "organization"


PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Справочник</title></head>
<body><table>{% for o in rows %}<tr id="org-{{ o.id }}"><td><a href="/orgs/{{ o.id }}">{{ o.short_name }}</a></td>
<td>{{ o.kind }}</td><td>{{ o.municipality }}</td><td>{{ o.head_name }}</td><td>{{ o.inn }}</td>
<td>{% if o.is_leader %}лидер{% endif %}{% if o.is_low_result %}ШНОР{% endif %}</td></tr>{% endfor %}
</table></body></html>"""


TEMPLATE = None


@app.route("/")
def index():
    global TEMPLATE
    if TEMPLATE is None:  # compiled once, as Flask does for file templates
        TEMPLATE = app.jinja_env.from_string(PAGE)
    with db.connection_context():
        rows = list(Organization.select().order_by(Organization.kind, Organization.short_name,
                                                   Organization.id).paginate(1, 50))
    return TEMPLATE.render(rows=rows)
