"""Who may do what: the one place that answers "may X do Y?" for the UI and the API."""
