"""Web layer: REST API (FastAPI), gradio app at /ui, embeddable widget at /widget.js.

Every route calls the same functions as the CLI (assistant.service).
"""
