"""The station queue service: counter console, hall display and a small JSON API over the local store."""
