"""Sync protocol v1 as this project speaks it (docs/sync-protocol.md): what the kiosk's client and
the district server must agree on, in one place. Standard library only; both sides import it.

- `wire`: canonical and compact JSON, the strict JSON reader, the string to sign and its HMAC,
  the day digest, schema version, header names and limits;
- `entities`: entity names, payload fields and their allowed values, answer and rejection codes;
- `ratings`: which rating may be recorded (one per served ticket, by its holder);
- `records`: the plain records the kiosk's store hands the client (outbox ops, dead letters, …).
"""

from sync.protocol.entities import (APPLIED, CHANGE_OPS, DEFAULT_REASON_CODES, DISTRICT_CONFIG_KEY,
                                    DOWNLOAD_ENTITIES, DUPLICATE, ENTITY_ID_FIELD, EVENT, EVENT_FIELDS,
                                    ID_MASKED_PATTERN, MAX_TEXT, OP_KINDS, OP_STATUSES, PAYLOAD_FIELDS,
                                    POOR_LEVEL, PRIORITIES, RATING, RATING_CHANNEL, RATING_CHANNELS, RATING_FIELDS,
                                    RATING_LEVELS, REASONS_CONFIG_KEY, REJECTED, REJECTION_CODES, TICKET,
                                    TICKET_FIELDS, TICKET_STATUSES, UPLOAD_ENTITIES, UUID_PATTERN)
from sync.protocol.records import DayCount, DeadLetter, Enrolment, OutboxOp, Rejection
from sync.protocol.wire import (JSON_TYPE, KIOSK_ID_HEADER, MAX_BATCH_OPS, MAX_BODY_BYTES, NONCE_HEADER,
                                NONCE_PATTERN, NONCE_TTL_S, SCHEMA_VERSION, SIGNATURE_HEADER, SIGNED_HEADERS,
                                TIMESTAMP_HEADER, TIMESTAMP_WINDOW_S, NotJSON, body_sha256, canonical_json,
                                canonical_sha256, compact_json, day_digest, op_day, parse_json, signature,
                                string_to_sign)

__all__ = [
    "APPLIED", "CHANGE_OPS", "DEFAULT_REASON_CODES", "DISTRICT_CONFIG_KEY", "DOWNLOAD_ENTITIES", "DUPLICATE",
    "ENTITY_ID_FIELD", "EVENT", "EVENT_FIELDS", "ID_MASKED_PATTERN", "MAX_TEXT", "OP_KINDS", "OP_STATUSES",
    "PAYLOAD_FIELDS", "POOR_LEVEL", "PRIORITIES", "RATING", "RATING_CHANNEL", "RATING_CHANNELS", "RATING_FIELDS", "RATING_LEVELS",
    "REASONS_CONFIG_KEY", "REJECTED", "REJECTION_CODES", "TICKET", "TICKET_FIELDS", "TICKET_STATUSES",
    "UPLOAD_ENTITIES", "UUID_PATTERN",
    "DayCount", "DeadLetter", "Enrolment", "OutboxOp", "Rejection",
    "JSON_TYPE", "KIOSK_ID_HEADER", "MAX_BATCH_OPS", "MAX_BODY_BYTES", "NONCE_HEADER", "NONCE_PATTERN",
    "NONCE_TTL_S", "SCHEMA_VERSION", "SIGNATURE_HEADER", "SIGNED_HEADERS", "TIMESTAMP_HEADER",
    "TIMESTAMP_WINDOW_S", "NotJSON", "body_sha256", "canonical_json", "canonical_sha256", "compact_json",
    "day_digest", "op_day", "parse_json", "signature", "string_to_sign",
]
