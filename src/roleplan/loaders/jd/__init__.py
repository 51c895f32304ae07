"""Job-description input for `classify` and `eval`, one job per module:

- `sources`: PATHs (files, directories, `-`) resolved to sources and formats;
- `records`: the Reader (single texts, problems, decoding) and the JobRecord it yields;
- `batches`: JSONL and CSV batches (plain or gzipped), streamed;
- `text`: HTML and Markdown reduced to plain text, in linear time.
"""

from roleplan.loaders.jd.records import MAX_TEXT_BYTES, Fields, JobRecord, Reader, iter_records
from roleplan.loaders.jd.sources import (
    BATCH_FORMATS,
    EXTENSIONS,
    INPUT_FORMATS,
    Source,
    is_single,
    resolve_sources,
)
from roleplan.loaders.jd.text import MarkupError, batch_text, html_to_text, markdown_to_text, plain_text

__all__ = [
    "BATCH_FORMATS",
    "EXTENSIONS",
    "INPUT_FORMATS",
    "MAX_TEXT_BYTES",
    "Fields",
    "JobRecord",
    "MarkupError",
    "Reader",
    "Source",
    "batch_text",
    "html_to_text",
    "is_single",
    "iter_records",
    "markdown_to_text",
    "plain_text",
    "resolve_sources",
]
