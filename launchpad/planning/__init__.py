"""Pure launch-planning logic: no Flask, no database, no I/O beyond reading template files.

Everything here is deterministic and cheap so the UI can preview a plan without saving it
and the services can persist exactly what was previewed.
"""
