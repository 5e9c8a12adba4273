"""The baseline: plain Flask + peewee rendering the directory's first 50 rows, nothing more.

Served on the same database with the same gunicorn workers as Opora, so the ratio
app/bare measures what Opora adds (sign-in, CSRF, layout, filters), not the machine.
"""
import os

from flask import Flask
from peewee import BooleanField, CharField, DateTimeField, Model
from playhouse.db_url import connect

db = connect(os.environ["DATABASE_URL"])


class Organization(Model):
    # Every column, as models.Organization has: both servers then run the same SELECT,
    # and the ratio measures Opora's code rather than a narrower query.
    kind = CharField()
    full_name = CharField()
    short_name = CharField()
    municipality = CharField()
    address = CharField()
    inn = CharField()
    kpp = CharField()
    phone = CharField()
    email = CharField()
    head_position = CharField()
    head_name = CharField()
    is_leader = BooleanField()
    is_low_result = BooleanField()
    search_text = CharField()
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        database = db
        table_name = "organization"


app = Flask(__name__)

# Compiled once, as Flask's template cache would do for a file.
PAGE = app.jinja_env.from_string("""<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Организации</title></head><body>
<table>
<thead><tr><th>Краткое наименование</th><th>Вид</th><th>Муниципальное образование</th><th>Руководитель</th><th>ИНН</th><th>Отметки</th></tr></thead>
<tbody>
{% for org in rows %}<tr id="org-{{ org.id }}"><td><a href="/orgs/{{ org.id }}">{{ org.short_name }}</a></td><td>{{ org.kind }}</td><td>{{ org.municipality }}</td><td>{{ org.head_name }}</td><td>{{ org.inn }}</td><td>{% if org.is_leader %}лидер{% endif %} {% if org.is_low_result %}ШНОР{% endif %}</td></tr>
{% endfor %}</tbody>
</table>
</body></html>""")


# A connection per request, as Opora does (models.init_app).
@app.before_request
def _connect():
    db.connect(reuse_if_open=True)


@app.teardown_request
def _close(exc):
    if not db.is_closed():
        db.close()


@app.route("/")
def index():
    # The directory's order (Organization.search): kind, short name, id.
    rows = (Organization.select()
            .order_by(Organization.kind, Organization.short_name, Organization.id)
            .limit(50))
    return PAGE.render(rows=rows)
