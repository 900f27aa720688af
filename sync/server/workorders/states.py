"""The work order's states and the actions between them: one table, no database.

    pending ─assign─▶ assigned ─verify─▶ verifying ─call_back─▶ called_back ─rectify─▶ rectified
       待转派             已转派               核实中                已回访                  已整改
                        ▲  │assign                                 │call_back (again)
                        └──┘                                       ▼
    rectified ─re_rate─▶ re_rated ─close─▶ closed
                         满意度测评          办结
    assigned | verifying | called_back ─appeal─▶ appealed (申诉) ─decide_appeal─▶ closed (uphold)
                                                                          └────▶ the state it came from (reject)
"""

from __future__ import annotations

from dataclasses import dataclass

PENDING, ASSIGNED, VERIFYING, CALLED_BACK = "pending", "assigned", "verifying", "called_back"
RECTIFIED, RE_RATED, CLOSED, APPEALED = "rectified", "re_rated", "closed", "appealed"
STATES = (PENDING, ASSIGNED, VERIFYING, CALLED_BACK, RECTIFIED, RE_RATED, CLOSED, APPEALED)
STATE_LABELS = {PENDING: "待转派", ASSIGNED: "已转派", VERIFYING: "核实中", CALLED_BACK: "已回访",
                RECTIFIED: "已整改", RE_RATED: "满意度测评", CLOSED: "办结", APPEALED: "申诉中"}

DISTRICT_ADMIN, STATION_HEAD, UNIT, CALLER = "district_admin", "station_head", "unit", "caller"
ROLES = (DISTRICT_ADMIN, STATION_HEAD, UNIT, CALLER)
ROLE_LABELS = {DISTRICT_ADMIN: "区管理员", STATION_HEAD: "站点负责人", UNIT: "承办单位", CALLER: "回访员"}

UPHOLD, REJECT = "uphold", "reject"


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    from_states: frozenset[str]
    to_state: str | None  # None: decided by the body (decide_appeal)
    roles: frozenset[str]


def _action(name: str, label: str, from_states: set[str], to_state: str | None, roles: set[str]) -> Action:
    return Action(name, label, frozenset(from_states), to_state, frozenset(roles))


ACTIONS: dict[str, Action] = {a.name: a for a in (
    _action("assign", "转派", {PENDING, ASSIGNED}, ASSIGNED, {DISTRICT_ADMIN, STATION_HEAD}),
    _action("verify", "核实", {ASSIGNED}, VERIFYING, {DISTRICT_ADMIN, UNIT}),
    _action("call_back", "回访", {VERIFYING, CALLED_BACK}, CALLED_BACK, {DISTRICT_ADMIN, CALLER}),
    _action("rectify", "整改", {CALLED_BACK}, RECTIFIED, {DISTRICT_ADMIN, UNIT}),
    _action("re_rate", "满意度测评", {RECTIFIED}, RE_RATED, {DISTRICT_ADMIN, CALLER}),
    _action("close", "办结", {RE_RATED}, CLOSED, {DISTRICT_ADMIN, STATION_HEAD}),
    _action("appeal", "申诉", {ASSIGNED, VERIFYING, CALLED_BACK}, APPEALED, {UNIT}),
    _action("decide_appeal", "申诉裁定", {APPEALED}, None, {DISTRICT_ADMIN}),
)}

# The deadlines: which states mean that the 回访 and the 整改 are done.
CALLED_BACK_STATES = frozenset({CALLED_BACK, RECTIFIED, RE_RATED, CLOSED})
RECTIFIED_STATES = frozenset({RECTIFIED, RE_RATED, CLOSED})


class IllegalTransition(Exception):
    def __init__(self, state: str, action: str):
        allowed = ", ".join(sorted(ACTIONS[action].from_states)) if action in ACTIONS else "none"
        super().__init__(f"{action!r} is not allowed in state {state!r} ({STATE_LABELS.get(state, state)}); "
                         f"it is allowed in: {allowed}")
        self.state, self.action = state, action


def next_state(state: str, action: str, *, decision: str | None = None, appealed_from: str | None = None) -> str:
    """The state after ``action`` in ``state``, or IllegalTransition."""
    spec = ACTIONS.get(action)
    if spec is None or state not in spec.from_states:
        raise IllegalTransition(state, action)
    if spec.to_state is not None:
        return spec.to_state
    if decision == UPHOLD:
        return CLOSED
    return appealed_from or ASSIGNED
