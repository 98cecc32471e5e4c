"""Dialogue: question → profile → rules of every covering jurisdiction → answer."""
