"""review: translation-quality review for machine-translated text."""

__version__ = "0.1.0"
