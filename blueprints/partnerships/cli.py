"""`flask --app app list-partnerships [--period 2026-2027]`: one pair a line, for scripts
and support."""
import click

from models import Partnership, PartnershipConfirmation, db

from .forms import parse_year
from .pairs import Leader, PartnerOrg


def pair_lines(period=None):
    """«2026/2027  МБОУ «Лицей № 7» → МБОУ «СОШ № 1»  Утверждена  лидер ✓ партнёр —» per pair
    (of the school year `period`, or of every year), in two queries."""
    query = (Partnership.select(Partnership.id, Partnership.period_start, Partnership.status,
                                Leader.short_name.alias("leader_name"),
                                PartnerOrg.short_name.alias("partner_name"))
             .join(Leader, on=(Partnership.leader == Leader.id))
             .switch(Partnership).join(PartnerOrg, on=(Partnership.partner == PartnerOrg.id)))
    if period is not None:
        query = query.where(Partnership.period_start == period)
    rows = list(query.order_by(Partnership.period_start, Leader.short_name,
                               PartnerOrg.short_name, Partnership.id).objects())
    confirmed = set(PartnershipConfirmation.select(
        PartnershipConfirmation.partnership, PartnershipConfirmation.side).where(
        PartnershipConfirmation.confirmed_at.is_null(False)
        & PartnershipConfirmation.partnership.in_([r.id for r in rows])).tuples()) if rows else set()
    for row in rows:
        marks = " ".join(f"{label} {'✓' if (row.id, side) in confirmed else '—'}"
                         for side, label in (("leader", "лидер"), ("partner", "партнёр")))
        yield (f"{row.period_label}  {row.leader_name} → {row.partner_name}  "
               f"{row.status_label}  {marks}")


def register(bp):
    @bp.cli.command("list-partnerships")
    @click.option("--period", default=None, metavar="2026-2027",
                  help="Учебный год: 2026-2027 (или 2026). Без него — все годы.")
    def list_partnerships(period):
        """Print the pairs, one a line: school year, leader → partner, status, confirmations."""
        start = None
        if period is not None:
            start = parse_year(period)
            if start is None:
                raise click.BadParameter("учебный год пишется как 2026-2027 (или 2026), "
                                         "годы подряд, между 2000 и 2100.",
                                         param_hint="--period")
        with db.connection_context():
            lines = list(pair_lines(start))
        for line in lines:
            click.echo(line)
        if not lines:
            click.echo("Пар нет." if start is None else
                       f"Пар на {start}/{start + 1} учебный год нет.")
