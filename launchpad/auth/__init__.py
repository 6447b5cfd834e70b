"""Who may do what and who is signed in: permissions, web sessions, sign-in throttling."""
