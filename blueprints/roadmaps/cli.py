"""`flask --app app import-roadmap PATH [--dry-run]`: the importer from the command line."""
from pathlib import Path

import click

from models import Organization, db

from . import services
from .importer import RoadmapImportError, parse_roadmap


def register(bp):
    @bp.cli.command("import-roadmap")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Только прочитать и показать итог, не сохранять.")
    @click.option("--organization", type=int, default=None,
                  help="id организации — владельца карты (по умолчанию методический центр).")
    @click.option("--period", default=None, metavar="2026-2027",
                  help="Период, если в названии карты нет лет.")
    def import_roadmap(path, dry_run, organization, period):
        """Read a road map from a .docx or .xlsx; print `sections: N, activities: M, warnings: K`
        and the warnings; save it unless --dry-run."""
        years = _period(period)
        try:
            parsed = parse_roadmap(Path(path).read_bytes(), Path(path).name, default_period=years)
        except RoadmapImportError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"sections: {len(parsed.sections)}, activities: {len(parsed.activities)}, "
                   f"warnings: {len(parsed.warnings)}")
        for warning in parsed.warnings:
            click.echo(warning)
        if dry_run:
            return
        with db.connection_context():
            owner = (Organization.get_or_none(Organization.id == organization) if organization
                     else Organization.centre())
            if owner is None:
                raise click.ClickException("Нет организации-владельца: укажите --organization "
                                           "или загрузите справочник.")
            roadmap = services.save_roadmap(parsed, owner.id, None, Path(path).name, years)
        click.echo(f"Сохранено: дорожная карта {roadmap.id}.")


def _period(text):
    if not text:
        return None
    parts = text.replace("–", "-").split("-")
    if not all(p.strip().isdigit() for p in parts) or len(parts) > 2:
        raise click.BadParameter("Период пишется как 2026 или 2026-2027.")
    start = int(parts[0])
    return start, int(parts[-1])
