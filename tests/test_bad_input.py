"""Bad input never gives a 500, never saves half a record, and is answered in Russian."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.validators import Length

from blueprints.orgs.forms import OrganizationForm
from models import Organization, db

from .test_orgs import VALID


def _text_limits():
    form_class = OrganizationForm
    for name in VALID:
        field = getattr(form_class, name)
        for validator in field.kwargs.get("validators", []):
            if isinstance(validator, Length) and validator.max > 0:
                yield name, validator.max


def _schools():
    with db.connection_context():
        return Organization.select().where(Organization.kind == "school").count()


@pytest.mark.parametrize("field,limit", list(_text_limits()))
def test_every_length_limit_is_a_field_message(login_as, field, limit):
    client = login_as("centre")
    response = client.post("/orgs/new", data=dict(VALID, **{field: "я" * (limit + 1)}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert _schools() == 0


def test_values_at_the_limit_are_saved(login_as):
    client = login_as("centre")
    data = dict(VALID)
    for field, limit in _text_limits():
        if field not in ("email", "phone"):
            data[field] = "я" * limit
    assert client.post("/orgs/new", data=data).status_code == 303
    assert _schools() == 1


def test_a_20_mb_body_is_413_in_russian(login_as):
    client = login_as("centre")
    response = client.post("/orgs/new", data={"full_name": "я" * (20 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Слишком большой объём данных" in response.get_data(as_text=True)
    assert _schools() == 0


@pytest.mark.parametrize("value", ["Школа\x00", "Школа\x07№1", "\x1bШкола", "Шк\ufffeола"])
def test_control_characters_are_refused(login_as, value):
    client = login_as("centre")
    response = client.post("/orgs/new", data=dict(VALID, short_name=value))
    assert response.status_code == 422
    assert "недопустимые управляющие символы" in response.get_data(as_text=True)
    assert _schools() == 0


def test_control_characters_in_search_and_login_are_harmless(http, login_as):
    client = login_as("centre")
    assert client.get("/orgs/?q=%00%07").status_code == 200
    assert client.get("/orgs/?q=" + "я" * 5000).status_code == 200
    assert client.get("/orgs/?page=99999999999999999999999").status_code == 200
    assert client.get("/orgs/?page=-5").status_code == 200
    assert http.post("/login", data={"login": "a\x00b", "password": "x"}).status_code == 422


def test_select_values_outside_the_list_are_refused(login_as):
    client = login_as("centre")
    response = client.post("/orgs/new", data=dict(VALID, kind="galaxy"))
    assert response.status_code == 422
    assert _schools() == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(sorted(VALID)), value=st.text(max_size=300))
def test_random_text_in_any_field_never_breaks_the_server(login_as, field, value):
    client = login_as("centre")
    data = dict(VALID, inn="")  # ИНН must be unique: repeated examples would collide
    data[field] = value
    response = client.post("/orgs/new", data=data)
    assert response.status_code in (303, 422)
