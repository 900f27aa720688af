"""The reference district server of sync protocol v1 (docs/sync-protocol.md); what it shares with
the kiosk's client is in sync.protocol."""
