"""Work that leaves the request: mail queued in the database and sent by the worker
(`manage.py worker`), with retries while the mail server is down."""
