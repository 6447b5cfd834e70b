"""Use cases over the database. They flush; the caller (request, job, CLI) commits.

The acting user and the current time come in as arguments, so the same functions run
in web requests, background jobs and the command line.
"""
