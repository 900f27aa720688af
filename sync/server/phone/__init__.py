"""The phone page behind a ticket's QR code (docs/phone-page.md): ``/t/{token}``.

- ``snapshots``: the stations' queue snapshots (positions, estimates, calls), a signed station route;
- ``states``: what a ticket's page shows, from the ticket, its station's snapshot and its rating;
- ``live``: one refresh per followed station shared by every phone that follows it (server-sent events);
- ``rating``: the rating given on the phone (channel ``phone``, 二维码);
- ``texts``, ``page``: the words in Chinese and English, and the HTML;
- ``limits``: per-client rate limits; ``routes``: the HTTP routes.
"""
