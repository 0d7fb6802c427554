"""WTForms (through Flask-WTF, CSRF on) with every label, help text and message in Vietnamese.

Field checks are thin: they call the pure rules in :mod:`domain`. Every text field is
NFC-normalised and trimmed on the way in (see :mod:`forms.fields`).
"""
