"""The pair page's agreement: terms and plan rows with their versions, the two-party
confirmation (cleared by a later change, with the diff shown to the side it was taken from)
and the registration of the agreement and the plan once both sides confirmed."""
import re

import pytest

from models import (GeneratedDocument, Organization, Partnership, PartnershipConfirmation,
                    PlanRow, db)

from blueprints.core.filters import NBSP
from blueprints.partnerships import services

from .conftest import HX, db_fingerprint



def create_plan_row(app, partner_org_id):
    """A row of a fresh pair whose partner school is `partner_org_id` (the access matrix)."""
    from .test_partnerships import create_partnership
    pair = create_partnership(app, partner_org_id)
    with app.app_context(), db.connection_context():
        return PlanRow.create(partnership=pair.id, position=1, title="Семинар",
                              deadline_text="октябрь", starts_on=None, ends_on=None)


@pytest.fixture
def pair(app, make_org, make_user, login_as):
    """An approved pair for 2026/2027 and a signed-in client for each side, the centre,
    the department and a third school."""
    leader = make_org(is_leader=True, short_name="МБОУ «Лицей № 1»")
    partner = make_org(is_low_result=True, short_name="МБОУ «СОШ № 9»")
    stranger = make_org()
    with app.app_context(), db.connection_context():
        made = services.propose(2026, leader, partner, ["consulting"], None)
        Partnership.update(status="approved").where(Partnership.id == made.id).execute()
    clients = {"leader": login_as(make_user("school", organization=leader.id,
                                            full_name="Лидерова Анна Петровна")),
               "partner": login_as(make_user("school", organization=partner.id,
                                             full_name="Партнёров Иван Ильич")),
               "stranger": login_as(make_user("school", organization=stranger.id)),
               "centre": login_as("centre"), "department": login_as("department")}
    return made.id, clients


def version(pair_id):
    with db.connection_context():
        return Partnership.get_by_id(pair_id).version


def terms_data(pair_id, **changes):
    data = {"version": str(version(pair_id)), "subject": "Совместная работа",
            "directions": ["consulting", "mentoring"], "leader_duties": "Консультировать",
            "partner_duties": "Участвовать", "reporting": "Раз в квартал",
            "valid_until": "2027-08-31", "auto_extend": "y", "place": "г. Новоречинск",
            "coordinator_note": ""}
    data.update(changes)
    return data


def row_data(prefix="new", **changes):
    data = {"title": "Открытый урок математики", "form": "взаимопосещение",
            "deadline_text": "октябрь 2026", "leader_responsible": "Иванова И. И.",
            "partner_responsible": "Петров П. П.", "expected_result": "Разбор урока"}
    data.update(changes)
    return {f"{prefix}-{k}": v for k, v in data.items()}


def add_row(client, pair_id, **changes):
    return client.post(f"/partnerships/{pair_id}/plan", data=row_data(**changes))


def only_row(pair_id):
    with db.connection_context():
        return PlanRow.select().where(PlanRow.partnership == pair_id).get()


def confirm(client, pair_id, seen=None):
    return client.post(f"/partnerships/{pair_id}/confirm",
                       data={"version": str(seen if seen is not None else version(pair_id))})


def text(response):
    return response.get_data(as_text=True)


# --- terms ----------------------------------------------------------------------------------

def test_terms_are_saved_and_a_stale_save_is_a_409_keeping_the_typing(pair):
    pair_id, c = pair
    seen = version(pair_id)
    response = c["partner"].post(f"/partnerships/{pair_id}/terms",
                                 data=terms_data(pair_id, subject="Версия партнёра"))
    assert response.status_code == 303
    with db.connection_context():
        stored = Partnership.get_by_id(pair_id)
        assert stored.terms_values["subject"] == "Версия партнёра"
        assert stored.direction_keys == ["consulting", "mentoring"]
        assert stored.version == seen + 1

    before = db_fingerprint()
    stale = c["leader"].post(f"/partnerships/{pair_id}/terms",
                             data=terms_data(pair_id, version=str(seen), subject="Версия лидера"))
    assert stale.status_code == 409
    body = text(stale)
    assert "Версия лидера" in body and "Версия партнёра" in body  # both values
    assert "Ваши изменения не сохранены и не потеряны" in body
    assert f'value="{seen + 1}"' in body  # saving again writes over the newer version
    assert db_fingerprint() == before

    again = c["leader"].post(f"/partnerships/{pair_id}/terms",
                             data=terms_data(pair_id, subject="Версия лидера"))
    assert again.status_code == 303
    page = text(c["partner"].get(f"/partnerships/{pair_id}"))
    assert "Лидерова Анна Петровна" in page and "условия соглашения: предмет соглашения" in page


def test_first_save_of_the_default_terms_records_only_what_the_user_changed(pair):
    """The page shows the default text in every field never saved; saving it with one field
    changed is a change of that field only (the history and a cleared confirmation say so)."""
    from blueprints.partnerships import agreement

    pair_id, c = pair
    with db.connection_context():
        stored = Partnership.get_by_id(pair_id)
        shown, directions = agreement.terms_of(stored), stored.direction_keys
    data = {key: ("y" if value is True else "" if value in (None, False) else str(value))
            for key, value in shown.items()}
    data.update(version=str(version(pair_id)), place="с. Ключи", directions=directions)
    assert c["leader"].post(f"/partnerships/{pair_id}/terms", data=data).status_code == 303
    page = text(c["partner"].get(f"/partnerships/{pair_id}"))
    assert re.findall(r"условия соглашения:[^<]*", page) == [
        "условия соглашения: место заключения соглашения"]


def test_bad_terms_are_a_422_and_nothing_is_saved(pair):
    pair_id, c = pair
    before = db_fingerprint()
    response = c["leader"].post(f"/partnerships/{pair_id}/terms",
                                data=terms_data(pair_id, directions=[], valid_until="31.08.2027"))
    assert response.status_code == 422
    assert "Отметьте хотя бы одно направление" in text(response)
    bad = c["leader"].post(f"/partnerships/{pair_id}/terms",
                           data=terms_data(pair_id, directions=["nonsense"]))
    assert bad.status_code == 422
    assert db_fingerprint() == before


def test_the_department_reads_and_the_centre_edits_but_does_not_confirm(pair):
    pair_id, c = pair
    page = text(c["department"].get(f"/partnerships/{pair_id}"))
    assert "Условия соглашения" in page and 'id="terms-form"' not in page
    assert c["department"].post(f"/partnerships/{pair_id}/terms",
                                data=terms_data(pair_id)).status_code == 403
    assert c["centre"].post(f"/partnerships/{pair_id}/terms",
                            data=terms_data(pair_id)).status_code == 303
    assert add_row(c["centre"], pair_id).status_code == 303
    assert confirm(c["centre"], pair_id).status_code == 403
    assert "Согласовать со стороны" not in text(c["centre"].get(f"/partnerships/{pair_id}"))


# --- plan rows ------------------------------------------------------------------------------

@pytest.mark.parametrize("deadline, message", [
    ("", "Укажите срок"),
    ("когда получится", "Не удалось прочитать срок"),
    ("по мере необходимости", "Не удалось прочитать срок"),
    ("октябрь 2030", "Срок вне 2026/2027 учебного года"),
    ("до 15.09.2027", "Срок вне 2026/2027 учебного года"),
])
def test_a_row_without_a_readable_deadline_in_the_year_is_a_422(pair, deadline, message):
    pair_id, c = pair
    before = db_fingerprint()
    response = add_row(c["leader"], pair_id, deadline_text=deadline)
    assert response.status_code == 422
    body = text(response)
    assert message in body
    assert 'id="new-deadline_text-error"' in body  # next to the field
    assert db_fingerprint() == before
    htmx = c["leader"].post(f"/partnerships/{pair_id}/plan", data=row_data(
        deadline_text=deadline), headers=HX)
    assert htmx.status_code == 422 and message in text(htmx)
    assert text(htmx).lstrip().startswith('<section id="plan"')
    assert db_fingerprint() == before


def test_rows_are_added_edited_moved_and_removed_each_with_its_version(pair):
    pair_id, c = pair
    assert add_row(c["leader"], pair_id).status_code == 303
    response = c["partner"].post(f"/partnerships/{pair_id}/plan", headers=HX,
                                 data=row_data(title="Консультация", deadline_text="ноябрь"))
    assert response.status_code == 200 and "HX-Trigger" in response.headers
    assert 'hx-swap-oob="true"' in text(response)  # the terms form takes the new version
    with db.connection_context():
        rows = list(PlanRow.select().where(PlanRow.partnership == pair_id).order_by(
            PlanRow.position))
    first, second = rows
    assert second.ends_on.isoformat() == "2026-11-30" and second.starts_on.month == 11

    moved = c["leader"].post(f"/partnerships/plan/{second.id}/move/up",
                             data={"version": str(second.version)})
    assert moved.status_code == 303
    with db.connection_context():
        order = [r.title for r in PlanRow.select().where(PlanRow.partnership == pair_id)
                 .order_by(PlanRow.position)]
    assert order == ["Консультация", "Открытый урок математики"]

    page = text(c["partner"].get(f"/partnerships/plan/{first.id}/edit"))  # without JS
    assert page.startswith("<!doctype html>") and 'id="edit-title"' in page
    fragment = text(c["partner"].get(f"/partnerships/plan/{first.id}/edit", headers=HX))
    assert fragment.lstrip().startswith('<section id="plan"') and 'id="edit-title"' in fragment
    edit = c["partner"].post(f"/partnerships/plan/{first.id}/edit",
                             data=row_data("edit", version=str(first.version), title="Урок"))
    assert edit.status_code == 303
    stale = c["leader"].post(f"/partnerships/plan/{first.id}/edit",
                             data=row_data("edit", version=str(first.version), title="Мой урок"))
    assert stale.status_code == 409
    assert "Мой урок" in text(stale) and "Урок" in text(stale)
    stale_remove = c["leader"].post(f"/partnerships/plan/{first.id}/remove",
                                    data={"version": str(first.version)})
    assert stale_remove.status_code == 409
    with db.connection_context():
        fresh = PlanRow.get_by_id(first.id)
    assert fresh.title == "Урок"
    removed = c["leader"].post(f"/partnerships/plan/{first.id}/remove",
                               data={"version": str(fresh.version)})
    assert removed.status_code == 303
    with db.connection_context():
        assert PlanRow.select().where(PlanRow.partnership == pair_id).count() == 1


# --- confirmation ---------------------------------------------------------------------------

def test_a_stale_confirmation_is_a_409_and_nothing_is_confirmed(pair):
    pair_id, c = pair
    seen = version(pair_id)
    assert add_row(c["leader"], pair_id, title="Педсовет").status_code == 303
    response = confirm(c["partner"], pair_id, seen)
    assert response.status_code == 409
    body = text(response)
    assert "После того как вы открыли страницу, Лидерова Анна Петровна" in body
    assert "«Педсовет»" in body
    with db.connection_context():
        assert PartnershipConfirmation.select().count() == 0


def test_a_change_clears_the_other_sides_confirmation_and_shows_it_the_diff(pair):
    pair_id, c = pair
    assert add_row(c["leader"], pair_id, title="Семинар для учителей").status_code == 303
    assert confirm(c["partner"], pair_id).status_code == 303
    with db.connection_context():
        mine = PartnershipConfirmation.get(side="partner")
        assert mine.is_confirmed and mine.snapshot["plan"][0]["title"] == "Семинар для учителей"
    page = text(c["partner"].get(f"/partnerships/{pair_id}"))
    assert "Согласовать со стороны" not in page and "Ждём согласования со стороны" in page

    row = only_row(pair_id)
    assert c["leader"].post(f"/partnerships/plan/{row.id}/edit", data=row_data(
        "edit", version=str(row.version), title="Семинар для учителей математики",
        deadline_text="ноябрь 2026")).status_code == 303
    with db.connection_context():
        assert not PartnershipConfirmation.get(side="partner").is_confirmed

    page = text(c["partner"].get(f"/partnerships/{pair_id}"))
    assert "Ваше согласование снято" in page
    assert "Семинар для учителей математики" in page and "ноябрь 2026" in page
    assert re.search(r"<del>\s*октябрь 2026\s*</del>", page)
    assert "Согласовать со стороны МБОУ «СОШ № 9»" in page.replace("&#34;", '"').replace(
        "&laquo;", "«")
    # the leader's page does not say its own confirmation was cleared: it never confirmed
    assert "Ваше согласование снято" not in text(c["leader"].get(f"/partnerships/{pair_id}"))


def test_confirming_needs_the_order_and_a_party_school(pair, app):
    pair_id, c = pair
    with db.connection_context():
        Partnership.update(status="proposed").where(Partnership.id == pair_id).execute()
    response = confirm(c["leader"], pair_id)
    assert response.status_code == 409 and "после того, как пара утверждена приказом" in text(
        response)
    assert confirm(c["stranger"], pair_id).status_code == 404
    with db.connection_context():
        assert PartnershipConfirmation.select().count() == 0


def test_an_empty_plan_is_not_confirmed(pair):
    pair_id, c = pair
    response = confirm(c["leader"], pair_id)
    assert response.status_code == 409 and "нет ни одного мероприятия" in text(response)
    with db.connection_context():
        assert not PartnershipConfirmation.select().where(
            PartnershipConfirmation.partnership == pair_id,
            PartnershipConfirmation.confirmed_at.is_null(False)).exists()
    assert "Добавьте мероприятия в план" in text(c["leader"].get(f"/partnerships/{pair_id}"))
    assert add_row(c["leader"], pair_id).status_code == 303
    assert confirm(c["leader"], pair_id).status_code == 303


def test_a_third_school_gets_404_everywhere(pair):
    pair_id, c = pair
    assert add_row(c["leader"], pair_id).status_code == 303
    row = only_row(pair_id)
    stranger = c["stranger"]
    before = db_fingerprint()
    for method, url, data in (
            ("get", f"/partnerships/{pair_id}", None),
            ("get", f"/partnerships/{pair_id}/status", None),
            ("get", f"/partnerships/{pair_id}/agreement.docx", None),
            ("post", f"/partnerships/{pair_id}/terms", terms_data(pair_id)),
            ("post", f"/partnerships/{pair_id}/plan", row_data()),
            ("get", f"/partnerships/plan/{row.id}/edit", None),
            ("post", f"/partnerships/plan/{row.id}/edit", row_data("edit", version="1")),
            ("post", f"/partnerships/plan/{row.id}/move/up", {"version": "1"}),
            ("post", f"/partnerships/plan/{row.id}/remove", {"version": "1"}),
            ("post", f"/partnerships/{pair_id}/confirm", {"version": "1"})):
        response = getattr(stranger, method)(url, data=data)
        assert response.status_code == 404, (method, url, response.status_code)
    assert db_fingerprint() == before


# --- registration ---------------------------------------------------------------------------

def test_both_confirmations_register_the_agreement_and_the_plan(pair):
    pair_id, c = pair
    assert add_row(c["leader"], pair_id).status_code == 303
    assert confirm(c["leader"], pair_id).status_code == 303
    with db.connection_context():
        assert Partnership.get_by_id(pair_id).status == "approved"
    response = confirm(c["partner"], pair_id)
    assert response.status_code == 303
    with db.connection_context():
        stored = Partnership.get_by_id(pair_id)
        assert stored.status == "registered"
        agreement, plan = (GeneratedDocument.get_by_id(stored.agreement_id),
                           GeneratedDocument.get_by_id(stored.plan_id))
        assert (agreement.doctype, plan.doctype) == ("partnership_agreement", "partnership_plan")
        assert agreement.serial == 1 and plan.serial == 1  # each its own series
        assert agreement.organization_id == stored.leader_id
        assert (agreement.source_type, agreement.source_id) == ("partnership", pair_id)
        # The plan names the agreement it is attached to, registered in the same go.
        assert f"№{NBSP}{agreement.number}" in plan.context["attachment"].replace(" ", NBSP)
    page = text(c["partner"].get(f"/partnerships/{pair_id}"))
    assert "подпишите и загрузите скан" in page
    for kind in ("agreement", "plan"):
        assert f"/partnerships/{pair_id}/{kind}.docx" in page
        download = c["partner"].get(f"/partnerships/{pair_id}/{kind}.docx")
        assert download.status_code == 200 and download.data[:2] == b"PK"
    # registered: the terms and the plan no longer change
    before = db_fingerprint()
    assert c["leader"].post(f"/partnerships/{pair_id}/terms",
                            data=terms_data(pair_id)).status_code == 409
    assert add_row(c["leader"], pair_id).status_code == 409
    assert confirm(c["leader"], pair_id).status_code == 409
    assert db_fingerprint() == before


def test_a_failed_registration_leaves_nothing_half_done(pair, monkeypatch):
    pair_id, c = pair
    from blueprints.partnerships import agreement

    def broken(*args, **kwargs):
        raise agreement.documents.RenderError("Шаблон не отрисован.")

    monkeypatch.setattr(agreement.documents, "register", broken)
    assert add_row(c["leader"], pair_id).status_code == 303
    assert confirm(c["leader"], pair_id).status_code == 303
    before = db_fingerprint()
    assert confirm(c["partner"], pair_id).status_code == 422
    assert db_fingerprint() == before
    with db.connection_context():
        assert Partnership.get_by_id(pair_id).status == "approved"
        assert Organization.select().count() >= 3


def test_terms_typed_into_an_expired_session_come_back_and_conflict_with_a_newer_save(
        pair, app):
    from .conftest import login
    from .test_stash import expire_session, restore_target

    pair_id, c = pair
    leader, partner = c["leader"], c["partner"]
    seen = version(pair_id)
    assert partner.post(f"/partnerships/{pair_id}/terms",
                        data=terms_data(pair_id, subject="Сохранил партнёр")).status_code == 303
    expire_session(leader, app)
    response = leader.post(f"/partnerships/{pair_id}/terms",
                           data=terms_data(pair_id, version=str(seen), subject="Набрал лидер"))
    target = restore_target(response)
    assert target and target.startswith(f"/partnerships/{pair_id}/terms?restore=")
    login(leader, leader.user)
    restored = text(leader.get(target))
    assert "Набрал лидер" in restored and "восстановлены" in restored
    assert f'id="terms-version" name="version" type="hidden" value="{seen}"' in restored
    again = leader.post(f"/partnerships/{pair_id}/terms",
                        data=terms_data(pair_id, version=str(seen), subject="Набрал лидер"))
    assert again.status_code == 409 and "Сохранил партнёр" in text(again)
    with db.connection_context():
        assert Partnership.get_by_id(pair_id).terms_values["subject"] == "Сохранил партнёр"
