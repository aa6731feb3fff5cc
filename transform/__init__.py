"""Transform stage: document bytes -> typed records (kernel.records.Parsed*).

    from transform import parse_document, PARSER_VERSION
    parse_document(data, content_type="application/pdf", hints=DocHints(...)) -> ParsedDocument

Modules: text (PDF/HTML/plain -> cleaned lines), html, meta (kind, body, date, time, venue),
dates, items (minute / agenda / report-section segmentation), figures (£ and %),
attendance and actions (people and follow-ups), document (the orchestrator).
"""

from transform.document import parse_document

# Bump whenever parser output changes for the same input (the pipeline re-parses on change).
PARSER_VERSION = "2026.12.2"

__all__ = ["parse_document", "PARSER_VERSION"]
