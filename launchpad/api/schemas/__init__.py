"""Marshmallow schemas of the REST API: they validate input and document the output."""
