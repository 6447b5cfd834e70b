"""Background jobs (RQ) and the processes that run them: the worker and the cron.

This package imports ``launchpad``; ``launchpad`` never imports it back and enqueues jobs
by dotted name through ``launchpad.background``.
"""
