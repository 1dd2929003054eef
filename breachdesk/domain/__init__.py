"""The pure core of breachdesk: plain Python, no Flask, no database."""
