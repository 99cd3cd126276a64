"""Input channels of this bot (credentials.yml names them by module path)."""
