"""Machine-readable copies of the public list: an Atom feed and the open-data CSV."""
import csv
import io
from datetime import datetime

from lxml import etree
from lxml.builder import ElementMaker

from ..core.filters import date_num
from ..core.sheets import csv_cell
from ..core.text import normalise

ATOM_NS = "http://www.w3.org/2005/Atom"
CSV_COLUMNS = ("номер", "дата", "вид", "заголовок", "организация", "статус", "ссылка")


def _rfc3339(moment):
    # Stored times are naive local time (models.base.now); Atom needs an explicit offset.
    return moment.astimezone().isoformat(timespec="seconds")


def updated_at(document):
    return document.withdrawn_at or document.published_at or datetime.now()


def heading(document, kind):
    number = (f" № {document.number} от {date_num(document.registered_on)}"
              if document.number else "")
    return f"{kind}{number}: {document.title}"


def atom(documents, *, title, author, feed_url, site_url, permalink, download_url, kind_of):
    """The Atom 1.0 feed (RFC 4287) of `documents`, newest first, as UTF-8 bytes.

    Built with lxml, which escapes every text; `normalise` drops the characters XML forbids.
    `permalink(doc)`, `download_url(doc)` give absolute URLs; `kind_of(doc)` the doctype title.
    """
    E = ElementMaker(namespace=ATOM_NS, nsmap={None: ATOM_NS})
    entries = []
    for document in documents:
        kind = kind_of(document)
        issuer = document.organization.full_name if document.organization else ""
        summary = f"{heading(document, kind)}. {issuer}"
        if document.status == "withdrawn":
            summary = (f"Документ отозван {date_num(document.withdrawn_at)}. Причина: "
                       f"{document.withdrawal_reason}. {summary}")
        prefix = "Отозван: " if document.status == "withdrawn" else ""
        entries.append(E.entry(
            E.id(permalink(document)),
            E.title(normalise(prefix + heading(document, kind))),
            E.updated(_rfc3339(updated_at(document))),
            E.published(_rfc3339(document.published_at or updated_at(document))),
            E.link(rel="alternate", type="text/html", href=permalink(document)),
            E.link(rel="enclosure", href=download_url(document), length=str(document.size),
                   type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            E.category(term=document.doctype, label=kind),
            E.summary(normalise(summary.strip()), type="text"),
        ))
    newest = max((updated_at(d) for d in documents), default=datetime.now())
    feed = E.feed(
        E.id(site_url),
        E.title(normalise(title)),
        E.updated(_rfc3339(newest)),
        E.author(E.name(normalise(author))),
        E.link(rel="self", type="application/atom+xml", href=feed_url),
        E.link(rel="alternate", type="text/html", href=site_url),
        *entries,
    )
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)


def register_csv(documents, *, permalink, kind_of):
    """The open-data register: UTF-8 with a BOM (so Excel reads Cyrillic), «;»-separated."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_COLUMNS)
    for document in documents:
        writer.writerow([csv_cell(v) for v in (
            document.number, date_num(document.registered_on), kind_of(document), document.title,
            document.organization.full_name if document.organization else "",
            document.status_label, permalink(document))])
    return out.getvalue().encode("utf-8")
