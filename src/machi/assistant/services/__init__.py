"""Writes of the assistant app."""
