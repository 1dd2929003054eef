"""Use cases: each loads rows, calls the domain, persists and audits in one transaction."""
