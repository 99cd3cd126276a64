"""The OAI-PMH 2.0 and oai_dc schemas (kept in schemas/, see SOURCES.md) as one lxml validator; the
w3.org address of xml.xsd that simpledc imports resolves to the copy here (no network in tests)."""

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"


class _LocalXmlSchema(etree.Resolver):
    def resolve(self, url, public_id, context):
        if url == "http://www.w3.org/2001/03/xml.xsd":
            return self.resolve_filename(str(SCHEMAS / "xml.xsd"), context)
        return None


@cache
def oai_pmh_schema() -> etree.XMLSchema:
    """Validates a whole response, the oai_dc records inside it included (the OAI-PMH schema
    checks <metadata> content strictly against the schema of its namespace)."""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXmlSchema())
    oai_pmh, oai_dc = (SCHEMAS / "OAI-PMH.xsd").as_uri(), (SCHEMAS / "oai_dc.xsd").as_uri()
    wrapper = f"""<schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:portal:tests:oai">
      <import namespace="http://www.openarchives.org/OAI/2.0/" schemaLocation="{oai_pmh}"/>
      <import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/" schemaLocation="{oai_dc}"/>
    </schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper, parser))


def valid_oai_document(content: bytes) -> etree._Element:
    """The parsed response; fails the test with the schema's complaint when it is not valid."""
    document = etree.fromstring(content)
    schema = oai_pmh_schema()
    assert schema.validate(document), schema.error_log.filter_from_errors()
    return document
