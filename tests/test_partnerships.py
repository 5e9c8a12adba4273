"""Partnerships: who may pair with whom, who sees a pair, and how a change clears the sides'
confirmations."""
import itertools

import pytest

from models import Organization, Partnership, PartnershipConfirmation, db

from blueprints.partnerships import services

_years = itertools.count(2100)  # each fresh pair its own year: a partner has one leader a year


def create_partnership(app, partner_org_id, leader_org_id=None, period_start=None):
    """A proposed pair with `partner_org_id` as the partner school (and a new leader school)."""
    with app.app_context(), db.connection_context():
        partner = Organization.get_by_id(partner_org_id)
        leader = (Organization.get_by_id(leader_org_id) if leader_org_id else
                  Organization.create(kind="school", full_name="Муниципальное бюджетное "
                                      "общеобразовательное учреждение «Лицей № 7»",
                                      short_name="МБОУ «Лицей № 7»", is_leader=True,
                                      municipality=partner.municipality))
        return services.propose(period_start or next(_years), leader, partner,
                                ["consulting", "mentoring"], None)


@pytest.fixture
def schools(app, make_org):
    return make_org(is_leader=True), make_org(is_low_result=True), make_org(is_low_result=True)


def test_a_school_is_not_partnered_with_itself_nor_twice_in_a_year(app, schools):
    leader, partner, _ = schools
    with app.app_context(), db.connection_context():
        with pytest.raises(services.PartnershipError, match="самой себе"):
            services.propose(2026, leader, leader, [], None)
        services.propose(2026, leader, partner, ["consulting"], None)
        with pytest.raises(services.PartnershipError, match="уже есть школа-лидер"):
            services.propose(2026, leader, partner, [], None)
        services.propose(2027, leader, partner, [], None)  # the next school year is free
        assert Partnership.select().count() == 2


def test_a_change_clears_both_confirmations(app, schools):
    leader, partner, _ = schools
    with app.app_context(), db.connection_context():
        pair = services.propose(2026, leader, partner, ["consulting"], None)
        for side in ("leader", "partner"):
            PartnershipConfirmation.create(partnership=pair, side=side, version=pair.version,
                                           content="{}", confirmed_at=pair.created_at)
        assert services.changed(pair, None) == pair.version + 1
        assert [c.is_confirmed for c in PartnershipConfirmation.select()] == [False, False]
        assert all(c.cleared_at for c in PartnershipConfirmation.select())


def test_a_school_sees_only_pairs_it_is_party_to(app, schools, make_user, login_as):
    leader, partner, stranger = schools
    with app.app_context(), db.connection_context():
        pair = services.propose(2026, leader, partner, ["consulting"], None)
    for org, expected in ((leader, 200), (partner, 200), (stranger, 404)):
        client = login_as(make_user("school", organization=org.id))
        assert client.get(f"/partnerships/{pair.id}").status_code == expected
        listed = client.get("/partnerships/").get_data(as_text=True)
        assert (f"/partnerships/{pair.id}" in listed) == (expected == 200)
