"""Entity names and payload shapes of schema_version 1, as both sides name them.

See docs/sync-protocol.md ("Payloads", "Download"). The server validates payloads against these
(sync.server.payloads); the kiosk writes them (kiosk.domain). Standard library only.
"""

from __future__ import annotations

# -- upload ----------------------------------------------------------------------------------------

TICKET, RATING, EVENT = "ticket", "rating", "event"
UPLOAD_ENTITIES = (TICKET, RATING, EVENT)
ENTITY_ID_FIELD = {TICKET: "ticket_id", RATING: "rating_id", EVENT: "event_id"}
OP_KINDS = ("upsert",)

TICKET_FIELDS = ("ticket_id", "station_id", "service_code", "number", "issued_at", "business_date", "priority",
                 "assistance", "bundle_code", "id_digest", "id_masked", "status", "updated_at")
RATING_FIELDS = ("rating_id", "station_id", "ticket_id", "service_code", "level", "reasons", "comment",
                 "contact_phone", "channel", "rated_at")
EVENT_FIELDS = ("event_id", "type", "at", "detail")
PAYLOAD_FIELDS = {TICKET: TICKET_FIELDS, RATING: RATING_FIELDS, EVENT: EVENT_FIELDS}

PRIORITIES = frozenset({"normal", "elderly", "disabled", "pregnant", "other"})
TICKET_STATUSES = frozenset({"waiting", "called", "serving", "done", "no_show", "cancelled"})
RATING_LEVELS = range(1, 6)  # 5 非常满意 … 1 非常不满意
POOR_LEVEL = 2  # level <= 2: reasons required, contact_phone allowed
RATING_CHANNEL = "kiosk"
RATING_CHANNELS = ("kiosk", "window_pad", "phone")  # 好差评 channels this project records
MAX_TEXT = 200  # characters of a comment (and of the other short texts)
# Used when the district's config has no "rating_reasons" list.
DEFAULT_REASON_CODES = (
    "attitude",
    "wait_too_long",
    "unclear_guidance",
    "slow_handling",
    "repeat_visits",
    "facilities",
    "other",
)
ID_MASKED_PATTERN = r"[0-9]{6}\*{8}[0-9]{3}[0-9Xx]"  # first 6 and last 4 kept, the rest '*'
UUID_PATTERN = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # canonical lower case
# A ticket's public_token (this project's extension): the key of its phone page behind the QR code,
# 24 random bytes (192 bits) in unpadded base64url, made on the kiosk at issue.
PUBLIC_TOKEN_PATTERN = r"[A-Za-z0-9_-]{32}"

# -- upload answers --------------------------------------------------------------------------------

APPLIED, DUPLICATE, REJECTED = "applied", "duplicate", "rejected"
OP_STATUSES = (APPLIED, DUPLICATE, REJECTED)
REJECTION_CODES = ("invalid_payload", "unknown_entity", "seq_conflict", "op_id_conflict", "already_rated",
                   # this project's: a rating must rate a served ticket of its station, by its holder
                   "no_ticket", "not_served", "not_holder", "wrong_station", "rating_closed")

# -- download --------------------------------------------------------------------------------------

DOWNLOAD_ENTITIES = ("service", "bundle", "station", "notice", "config")
CHANGE_OPS = ("upsert", "delete")
REASONS_CONFIG_KEY = "rating_reasons"
DISTRICT_CONFIG_KEY = "district"
