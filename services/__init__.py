"""Use cases between the web views and storage/domain: each module one area of work."""
