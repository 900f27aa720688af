"""The work order's state table: every state × every action is either one named move or refused.

The expected table is written out here by hand from the issue (待转派 → 已转派 → 核实中 → 已回访 →
已整改 → 满意度测评 → 办结, plus 申诉), not computed from sync.server.workorders.states."""

import pytest

from sync.server.workorders.states import ACTIONS, STATES, IllegalTransition, next_state

# state -> {action: next state}; every pair not listed is refused.
ALLOWED = {
    "pending": {"assign": "assigned"},
    "assigned": {"assign": "assigned", "verify": "verifying", "appeal": "appealed"},
    "verifying": {"call_back": "called_back", "appeal": "appealed"},
    "called_back": {"call_back": "called_back", "rectify": "rectified", "appeal": "appealed"},
    "rectified": {"re_rate": "re_rated"},
    "re_rated": {"close": "closed"},
    "closed": {},
    "appealed": {"decide_appeal": "closed"},  # uphold; reject goes back (below)
}
ALL_ACTIONS = ("assign", "verify", "call_back", "rectify", "re_rate", "close", "appeal", "decide_appeal")


def test_the_tables_name_the_same_states_and_actions():
    assert set(STATES) == set(ALLOWED)
    assert set(ACTIONS) == set(ALL_ACTIONS)


@pytest.mark.parametrize("state", sorted(ALLOWED))
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_every_state_and_action(state, action):
    expected = ALLOWED[state].get(action)
    if expected is None:
        with pytest.raises(IllegalTransition) as refused:
            next_state(state, action, decision="uphold")
        assert state in str(refused.value) and action in str(refused.value)
    else:
        assert next_state(state, action, decision="uphold", appealed_from="verifying") == expected


@pytest.mark.parametrize("came_from", ["assigned", "verifying", "called_back"])
def test_a_rejected_appeal_returns_to_where_it_came_from(came_from):
    assert next_state("appealed", "decide_appeal", decision="reject", appealed_from=came_from) == came_from
    assert next_state("appealed", "decide_appeal", decision="uphold", appealed_from=came_from) == "closed"


def test_an_unknown_action_is_refused():
    with pytest.raises(IllegalTransition):
        next_state("pending", "delete")


def test_roles_of_each_action():
    roles = {name: set(action.roles) for name, action in ACTIONS.items()}
    assert roles == {
        "assign": {"district_admin", "station_head"}, "verify": {"district_admin", "unit"},
        "call_back": {"district_admin", "caller"}, "rectify": {"district_admin", "unit"},
        "re_rate": {"district_admin", "caller"}, "close": {"district_admin", "station_head"},
        "appeal": {"unit"}, "decide_appeal": {"district_admin"},
    }
