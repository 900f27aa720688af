"""CPU seconds and peak memory of local processes, read from /proc (Linux), for the benchmarks.

- process_tree_cpu(pid): user+system seconds of a process and all its live descendants, plus the
  children they have already reaped (cutime/cstime). For `district-server serve --workers N` that is
  the uvicorn supervisor and its worker processes.
- cluster_cpu(postmaster_pid): the same for a PostgreSQL cluster: the postmaster's own time, every
  live child (backends, and the checkpointer, WAL writer, autovacuum workers...), and the children
  it has reaped (a backend whose connection was closed, e.g. a pool's overflow connection, ends;
  the postmaster reaps it at once and its whole lifetime moves into cutime/cstime). So the delta
  of two readings is every CPU second the cluster spent between them, however many backends came
  and went; none is counted twice (a live child's time is read from the child, a reaped one's from
  the parent's cumulative fields, never both).
- peak_rss_bytes(pid): VmHWM (the kernel's high-water mark of resident memory) of each process of
  the tree: the peak since each process started, with no sampling needed.
"""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # comm (field 2) is in parentheses and may hold spaces: split after the last ')'
    return text[text.rindex(")") + 2:].split()


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree_pids(pid: int) -> list[int]:
    """``pid`` and its live descendants."""
    children = _children_by_parent()
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _cpu(fields: list[str], with_children: bool) -> int:
    # after comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    ticks = int(fields[11]) + int(fields[12])
    if with_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks


def process_tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and its descendants, reaped ones included."""
    ticks = 0
    for current in tree_pids(pid):
        fields = _stat_fields(current)
        if fields is not None:
            ticks += _cpu(fields, with_children=True)
    return ticks / TICK


def cluster_cpu(postmaster_pid: int) -> float:
    """CPU seconds of a PostgreSQL cluster (postmaster, live children, reaped children)."""
    return process_tree_cpu(postmaster_pid)


def postmaster_of(backend_pid: int) -> int:
    fields = _stat_fields(backend_pid)
    assert fields is not None, f"backend {backend_pid} is not a local process"
    return int(fields[1])


def peak_rss_bytes(pid: int) -> dict[int, int]:
    """VmHWM per process of the tree of ``pid``."""
    peaks = {}
    for current in tree_pids(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[current] = int(line.split()[1]) * 1024
        except (FileNotFoundError, ProcessLookupError):
            continue
    return peaks


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle since boot (/proc/stat), for what else ran meanwhile."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in fields[:8]]  # user nice system idle iowait irq softirq steal
    return (sum(values) - values[3] - values[4]) / TICK


def cores() -> int:
    return len(os.sched_getaffinity(0))
