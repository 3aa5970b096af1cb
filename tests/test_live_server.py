"""A test that ends while the live server is still answering a browser's request passes (the
requests are answered before the database is emptied; tests/liveserver.py)."""

import socket
import time

import pytest

from tests.liveserver import requests_in_flight

PAGES = ["/", "/initiatives/", "/initiatives/?ordering=newest", "/matrix/", "/organisations/", "/sectors/"]


@pytest.mark.parametrize("attempt", range(3))
def test_a_test_may_end_while_the_live_server_is_still_answering(live_server, shipped_catalogue, attempt):
    address = (live_server.thread.host, live_server.thread.port)
    connections = []
    # Pages that read many tables, so the flush after this test would meet one of them reading.
    for path in PAGES:
        connection = socket.create_connection(address)
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        connections.append(connection)
    deadline = time.monotonic() + 10
    while not requests_in_flight.others() and time.monotonic() < deadline:
        time.sleep(0.001)
    # The test ends here, with the server mid-answer; on SQLite its teardown used to fail with
    # "database table is locked".
    assert requests_in_flight.others()
