"""Talking to the outside world safely: address checks, HTTP, SMTP, signatures, formats.

Pure transport: no database, no services. Jobs and services call it with plain values.
"""
