"""The reference district server of sync protocol v1 (see shared/protocols/sync-v1.md)."""
