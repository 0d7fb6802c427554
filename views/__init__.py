"""Blueprints of the web UI, one module per area; each exports ``bp``."""
