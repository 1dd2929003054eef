"""breachdesk: breach response and incident tracking."""


def create_app(test_config=None):
    """Build the Flask app (imported lazily so the domain and `assess` stay light)."""
    from breachdesk.app import build_app

    return build_app(test_config)
