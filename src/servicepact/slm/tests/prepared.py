"""Fetching a download the worker prepares, the way a browser does: the link answers with the page that
follows the work, the worker writes the file, the page's link gives it."""

from django.test import Client
from django.urls import resolve, reverse

from servicepact.slm.tasks_backtest import prepare_download


def prepared_file(client: Client, url: str):
    """The file's response, after the worker's turn."""
    response = client.get(url)
    assert response.status_code == 302, (url, response.status_code)
    download_id = resolve(response["Location"]).kwargs["download_id"]
    prepare_download.call(download_id)
    return client.get(reverse("slm:download_file", args=[download_id]))


def prepared_content(client: Client, url: str) -> bytes:
    return b"".join(prepared_file(client, url).streaming_content)
