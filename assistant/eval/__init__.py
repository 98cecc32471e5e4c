"""Offline evaluations of the whole product (question sets through the real pipeline)."""
