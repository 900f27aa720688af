"""The kiosk's side of sync protocol v1 (docs/sync-protocol.md); what it shares with the server is
in sync.protocol.

It never imports the kiosk: the local store is reached through the port in `port.py`.
"""
