"""Renderers: the engine's and the pipeline's structured results → Chinese text, written in one place each."""
