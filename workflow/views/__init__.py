"""The partner's pages (partner.py) and the editor's (review.py)."""
