"""Meeting records → minutes and monthly reports as document models, Markdown previews and DOCX."""
