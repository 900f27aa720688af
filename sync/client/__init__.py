"""The kiosk's side of sync protocol v1 (shared/protocols/sync-v1.md).

It never imports the kiosk: the local store is reached through the port in `port.py`.
"""
