"""The requirements, sectors, technologies and tasks as SKOS concept schemes (issue 11), read with
rdflib from both serialisations: the same triples, stable URIs that are the records' pages."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from catalogue.models import Requirement, Sector, Task, Technology

SCHEMES = [("requirements", Requirement), ("sectors", Sector), ("technologies", Technology), ("tasks", Task)]


def graph_of(client, url, format):
    response = client.get(url)
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode(), format=format)


@pytest.mark.parametrize(("scheme", "model"), SCHEMES)
def test_each_vocabulary_is_a_skos_scheme_in_json_ld_and_turtle(client, shipped_catalogue, scheme, model):
    from_json_ld = graph_of(client, f"/vocabularies/{scheme}.jsonld", "json-ld")
    from_turtle = graph_of(client, f"/vocabularies/{scheme}.ttl", "turtle")

    assert set(from_json_ld) == set(from_turtle)
    scheme_uri = URIRef(f"http://testserver/{scheme}/")
    assert (scheme_uri, RDF.type, SKOS.ConceptScheme) in from_turtle
    concepts = set(from_turtle.subjects(RDF.type, SKOS.Concept))
    assert concepts == {
        URIRef(f"http://testserver{record.get_absolute_url()}") for record in model.objects.all()
    }
    for concept in concepts:
        assert (concept, SKOS.inScheme, scheme_uri) in from_turtle
        assert client.get(str(concept).removeprefix("http://testserver")).status_code == 200


def test_requirements_carry_their_number_and_both_labels(client, shipped_catalogue):
    graph = graph_of(client, "/vocabularies/requirements.ttl", "turtle")
    requirement = Requirement.objects.exclude(title_zh_hans=None).first()
    uri = URIRef(f"http://testserver{requirement.get_absolute_url()}")

    assert (uri, SKOS.notation, Literal(str(requirement.number))) in graph
    assert (uri, SKOS.prefLabel, Literal(requirement.title, lang="en")) in graph
    assert (uri, SKOS.prefLabel, Literal(requirement.title_zh, lang="zh-Hans")) in graph


def test_quotes_and_backslashes_survive_turtle(client, db):
    Sector.objects.create(slug="odd", name='A "quoted" \\ sector', description='Line one\\nand "two"')

    graph = graph_of(client, "/vocabularies/sectors.ttl", "turtle")

    assert (
        URIRef("http://testserver/sectors/odd/"),
        SKOS.prefLabel,
        Literal('A "quoted" \\ sector', lang="en"),
    ) in graph


def test_an_unknown_scheme_or_format_is_a_404(client, db):
    assert client.get("/vocabularies/countries.ttl").status_code == 404
    assert client.get("/vocabularies/sectors.xml").status_code == 404


@pytest.mark.parametrize(("scheme", "model"), SCHEMES)
def test_the_index_page_links_to_its_concept_scheme(client, shipped_catalogue, scheme, model):
    page = client.get(f"/{scheme}/").content.decode()

    assert f'href="/vocabularies/{scheme}.jsonld"' in page
    assert f'href="/vocabularies/{scheme}.ttl"' in page
