"""Rendering: the workspace as a format-neutral tree (model.py), turned into HTML, PDF and Word by renderer plugins."""
