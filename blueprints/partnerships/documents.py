"""The order approving the list of pairs (order_partnerships): a minimal stand-in with the
contract the partnerships' documents engineer writes in full — key "order_partnerships",
data(record) with record = {"order": dict, "pairs": [Partnership]}, and
partnerships_order(organization_name, on_date, period_start) giving the default order.

Like the programmes' approval order, it is an order: the order doctype makes its context,
with the pairs as the annex table. Until its own template ships, it fills order.docx."""
from datetime import date

from models import INTERACTION_DIRECTIONS, Organization, school_year

from ..documents import api
from ..documents.doctype import DOC_TEMPLATES, Doctype

ANNEX_HEADER = ["№ п/п", "Школа-лидер", "Школа-партнёр", "Направления взаимодействия",
                "Координатор"]


class _OrderTemplateDoctype(Doctype):
    """The order's own template file (order.docx) until order_partnerships.docx exists."""

    @property
    def template_path(self):
        own = DOC_TEMPLATES / f"{self.key}.docx"
        return own if own.exists() else DOC_TEMPLATES / "order.docx"


def partnerships_order(organization_name, on_date, period_start, signer_position="",
                       signer_name="", place="", executor_note="", founder=""):
    """The department's order with its standard wording; the user may adjust it."""
    year = school_year(period_start)
    return {
        "kind": "order", "founder": founder, "organization_name": organization_name,
        "order_date": on_date, "place": place,
        "heading": f"Об организации партнёрского взаимодействия общеобразовательных "
                   f"организаций в {year} учебном году",
        "preamble": "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об "
                    "образовании в Российской Федерации», в целях повышения качества "
                    "образования в школах с низкими образовательными результатами",
        "clauses": [
            {"level": 0, "text": f"Утвердить список пар школ-лидеров и школ-партнёров на "
                                 f"{year} учебный год (приложение).",
             "executor": "", "deadline": ""},
            {"level": 0, "text": "Руководителям общеобразовательных организаций заключить "
                                 "соглашения о сотрудничестве и согласовать планы "
                                 "взаимодействия.",
             "executor": "руководители ОО", "deadline": f"до 01.10.{period_start}"},
        ],
        "control_clause": "Контроль за исполнением настоящего приказа оставляю за собой.",
        "signer_position": signer_position, "signer_name": signer_name,
        "executor_note": executor_note, "annexes": [],
    }


def pair_row(pair, names):
    """One pair as plain strings; `names` maps organisation ids to full names."""
    return {"leader": names.get(pair.leader_id, ""), "partner": names.get(pair.partner_id, ""),
            "directions": ", ".join(pair.direction_labels),
            "coordinator": names.get(pair.coordinator_id, "") if pair.coordinator_id else "",
            "period": school_year(pair.period_start)}


def order_data(record):
    """The order as plain data: `record` is {"order": partnerships_order() as the user adjusted
    it, "pairs": [Partnership]}."""
    pairs = record["pairs"]
    ids = {i for p in pairs for i in (p.leader_id, p.partner_id, p.coordinator_id) if i}
    names = {o.id: o.full_name for o in Organization.select(
        Organization.id, Organization.full_name).where(Organization.id.in_(ids))} if ids else {}
    return {"order": record["order"], "pairs": [pair_row(p, names) for p in pairs]}


def order_context(plain):
    rows = [[str(n), p["leader"], p["partner"], p["directions"], p["coordinator"]]
            for n, p in enumerate(plain["pairs"], 1)]
    year = plain["pairs"][0]["period"] if plain["pairs"] else ""
    description = dict(plain["order"], annexes=[{
        "title": f"Список пар общеобразовательных организаций на {year} учебный год".strip(),
        "header": ANNEX_HEADER, "rows": rows}])
    return api.context("order", plain=dict(description, number=plain.get("number", ""),
                                           on_date=plain.get("on_date")))


def _sample():
    order = partnerships_order("Управление образования администрации муниципального "
                               "образования Новоречинский район", date(2026, 9, 10), 2026,
                               "Начальник управления", "Волков Михаил Евгеньевич",
                               place="г. Новоречинск")
    directions = ", ".join(INTERACTION_DIRECTIONS[k] for k in ("consulting", "mentoring"))
    pairs = [{"leader": "Муниципальное бюджетное общеобразовательное учреждение «Лицей № 7»",
              "partner": f"Муниципальное бюджетное общеобразовательное учреждение «СОШ № {n}»",
              "directions": directions, "coordinator": "МКУ «Центр развития образования»",
              "period": "2026/2027"} for n in (3, 5, 12)]
    return {"order": order, "pairs": pairs, "number": "01-07/61", "on_date": date(2026, 9, 10)}


ORDER_PARTNERSHIPS = _OrderTemplateDoctype(
    key="order_partnerships",
    title="Приказ об утверждении пар партнёрского взаимодействия",
    series="order",  # the department's orders share one yearly numbering
    data=order_data,
    context=order_context,
    sample=_sample(),
    pattern="{n}",
    variables=api.variables_of("order"),
)
