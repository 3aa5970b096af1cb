"""The nine UNICEF requirements, the sectors and the AI technologies as SKOS concept schemes,
so other catalogues can link to them: each concept's URI is its page here (stable: slugs and
requirement numbers do not change), the scheme's URI its index page. Written as JSON-LD (with
an inline context, readable without a network) and as Turtle."""

import json

from .languages import language_codes, tag, text_in
from .models import Requirement, Sector, Task, Technology

SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"

SCHEMES = {
    # name in the URL: (model, the field its label comes from, the scheme's title)
    "requirements": (Requirement, "title", "UNICEF Policy Guidance on AI for Children 2.0: requirements"),
    "sectors": (Sector, "name", "Casebook sectors"),
    "technologies": (Technology, "name", "Casebook AI technologies"),
    "tasks": (Task, "name", "Casebook tasks (what a tool helps a practitioner do)"),
}


def concepts(name, request):
    """(scheme URI, scheme title, [concept dicts]) of one scheme."""
    model, label_field, title = SCHEMES[name]
    scheme = request.build_absolute_uri(f"/{name}/")
    items = []
    for record in model.objects.all():
        # A label in each language the record has (English first, which every record has),
        # whatever the request's language: a vocabulary file is the same for every reader.
        labels = {
            tag(code): text
            for code in sorted(language_codes(), key=lambda code: code != "en")
            if (text := text_in(record, label_field, code))
        }
        item = {
            "uri": request.build_absolute_uri(record.get_absolute_url()),
            "labels": labels,
            "definition": record.description,
        }
        if model is Requirement:
            item["notation"] = str(record.number)
        items.append(item)
    return scheme, title, items


def as_json_ld(name, request):
    scheme, title, items = concepts(name, request)
    graph = [
        {"@id": scheme, "@type": "skos:ConceptScheme", "dcterms:title": {"@value": title, "@language": "en"}}
    ]
    for item in items:
        node = {
            "@id": item["uri"],
            "@type": "skos:Concept",
            "skos:inScheme": {"@id": scheme},
            "skos:topConceptOf": {"@id": scheme},
            "skos:prefLabel": [{"@value": text, "@language": lang} for lang, text in item["labels"].items()],
        }
        if item["definition"]:
            node["skos:definition"] = {"@value": item["definition"], "@language": "en"}
        if "notation" in item:
            node["skos:notation"] = item["notation"]
        graph.append(node)
    document = {"@context": {"skos": SKOS, "dcterms": DCTERMS}, "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def turtle_string(text):
    """A Turtle string literal (long form, so line breaks need no escaping)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"""{escaped}"""'


def as_turtle(name, request):
    scheme, title, items = concepts(name, request)
    lines = [
        f"@prefix skos: <{SKOS}> .",
        f"@prefix dcterms: <{DCTERMS}> .",
        "",
        f"<{scheme}> a skos:ConceptScheme ;",
        f"    dcterms:title {turtle_string(title)}@en .",
    ]
    for item in items:
        lines += ["", f"<{item['uri']}> a skos:Concept ;", f"    skos:inScheme <{scheme}> ;"]
        lines.append(f"    skos:topConceptOf <{scheme}> ;")
        for lang, text in item["labels"].items():
            lines.append(f"    skos:prefLabel {turtle_string(text)}@{lang} ;")
        if item["definition"]:
            lines.append(f"    skos:definition {turtle_string(item['definition'])}@en ;")
        if "notation" in item:
            lines.append(f"    skos:notation {turtle_string(item['notation'])} ;")
        lines[-1] = lines[-1][:-2] + " ."
    return "\n".join(lines) + "\n"
