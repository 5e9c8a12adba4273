"""Commands for template authors: `flask --app app list-doctypes`, `flask --app app render-doc
DOCTYPE --sample --out FILE.docx [--template FILE.docx]`, `flask --app app doctype-variables`."""
from pathlib import Path

import click
from peewee import DatabaseError

from ..documents import api as documents
from ..documents.gate import TemplateRejected, check_template


def variables_table():
    """The doctype → variables table of doc_templates/README.md, from the doctypes."""
    lines = []
    for key, doctype in documents.doctypes().items():
        lines += [f"### `{key}` — {doctype.title}", "", "| Переменная | Что содержит |",
                  "|---|---|"]
        lines += [f"| `{name}` | {text.replace('|', '/')} |"
                  for name, text in doctype.variables.items()]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _render(doctype, template_file):
    if template_file is not None:
        # A local file gets the same checks as an upload, so its author sees the same reasons.
        data = Path(template_file).read_bytes()
        check_template(doctype, data)
        return documents.preview(doctype.key, template=data)
    try:
        return documents.preview(doctype.key)  # the active version, if one is set
    except DatabaseError:  # no database yet (a fresh checkout): the built-in file
        click.echo("База данных недоступна: использован встроенный шаблон.", err=True)
        return documents.preview(doctype.key, template=doctype.template_path.read_bytes())


def register(bp):
    @bp.cli.command("list-doctypes")
    def list_doctypes():
        """Every doctype, one a line: key, a tab, title."""
        for key, doctype in documents.doctypes().items():
            click.echo(f"{key}\t{doctype.title}")

    @bp.cli.command("doctype-variables")
    def doctype_variables():
        """The variables table for doc_templates/README.md (Markdown)."""
        click.echo(variables_table(), nl=False)

    @bp.cli.command("render-doc")
    @click.argument("doctype")
    @click.option("--sample", is_flag=True, help="Заполнить образцом данных вида документа.")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
                  help="Куда записать .docx.")
    @click.option("--template", "template_file", type=click.Path(exists=True, dir_okay=False),
                  help="Проверить и заполнить этот файл вместо действующего шаблона.")
    def render_doc(doctype, sample, out, template_file):
        """Render DOCTYPE with its sample data into a .docx (for template authors)."""
        try:
            found = documents.doctype(doctype)
        except KeyError:
            raise click.ClickException(
                f"Неизвестный вид документа «{doctype}». Список: flask --app app "
                "list-doctypes") from None
        if not sample:
            raise click.UsageError("Укажите --sample: документ заполняется образцом данных.")
        try:
            data = _render(found, template_file)
        except (TemplateRejected, documents.RenderError) as error:
            raise click.ClickException(str(error)) from error
        Path(out).write_bytes(data)
        click.echo(f"Записано: {out} ({len(data)} байт)")
