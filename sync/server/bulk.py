"""Set-at-a-time SQL for the upload path: a batch's rows go in with one statement per table.

PostgreSQL gets the cheapest form it offers (COPY for plain inserts; one JSON document for upserts
and IN lists, since binding Python lists as array parameters costs more than the query itself);
SQLite, the embedded default, gets the portable executemany form of the same statements."""

from __future__ import annotations

from typing import Any, Sequence

from pydantic_core import to_json
from sqlalchemy import JSON, Table, any_, cast, func, literal, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from sync.server.db import is_postgres


def json_text(value: Any) -> str:
    """Compact JSON with non-ASCII characters kept, like json.dumps(value, ensure_ascii=False, separators=
    (",", ":")), in a fraction of the time (pydantic-core's serializer, already used by FastAPI)."""
    return to_json(value).decode("utf-8")


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def in_values(session: Session, column: Any, values: list[Any]) -> Any:
    """`column IN (values)`; on PostgreSQL the values travel as one JSON text unpacked into an array."""
    if not is_postgres(session):
        return column.in_(values)
    elements = select(cast(func.json_array_elements_text(cast(literal(json_text(values)), JSON)), column.type))
    return column == any_(func.array(elements.scalar_subquery()))


def insert_rows(session: Session, table: Table, rows: list[Any], *, columns: Sequence[str] | None = None) -> None:
    """Insert rows that conflict with nothing stored (the caller has checked). On PostgreSQL through
    COPY, which parses no SQL and no JSON document per row. A row is a dict by column name, or with
    ``columns`` a tuple of the values of those columns in that order (no dict built per row)."""
    if not rows:
        return
    if not is_postgres(session):
        if columns is not None:
            rows = [dict(zip(columns, row)) for row in rows]
        session.connection().execute(table.insert(), rows)
        return
    names = list(columns) if columns is not None else [c.name for c in table.columns]
    json_at = [index for index, name in enumerate(names) if isinstance(table.columns[name].type, JSON)]
    driver_connection = session.connection().connection.driver_connection
    with driver_connection.cursor() as cursor, cursor.copy(
        f'COPY "{table.name}" ({_quoted(names)}) FROM STDIN'
    ) as copy:
        for row in rows:
            values = list(row) if columns is not None else [row[name] for name in names]
            for index in json_at:
                if values[index] is not None:
                    values[index] = json_text(values[index])
            copy.write_row(values)


def upsert_kiosk_rows(session: Session, table: Table, rows: list[dict[str, Any]], *, unless: str | None = None) -> int:
    """Insert rows keyed by their primary key, or update the stored row when it belongs to the same
    kiosk and the incoming row has a higher seq; a row of another kiosk is left alone, and so is a
    row whose column ``unless`` is set. Returns how many rows were written: fewer than given when
    some were left alone (the caller then asks which belong to another kiosk)."""
    if not rows:
        return 0
    names = [c.name for c in table.columns]
    key = table.primary_key.columns[0].name
    if is_postgres(session):
        updates = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n != key)
        sql = (f'INSERT INTO "{table.name}" ({_quoted(names)}) SELECT {_quoted(names)} '
               f'FROM json_populate_recordset(NULL::"{table.name}", CAST(:rows AS json)) '
               f'ON CONFLICT ("{key}") DO UPDATE SET {updates} '
               f'WHERE "{table.name}".kiosk_id = excluded.kiosk_id AND "{table.name}".seq < excluded.seq')
        if unless:
            sql += f' AND "{table.name}"."{unless}" IS NULL'
        statement = text(sql).execution_options(preserve_rowcount=True)
        return session.execute(statement, {"rows": json_text(rows)}).rowcount
    insert = sqlite.insert(table)
    where = (table.c.kiosk_id == insert.excluded.kiosk_id) & (table.c.seq < insert.excluded.seq)
    if unless:
        where = where & table.c[unless].is_(None)
    upsert = insert.on_conflict_do_update(
        index_elements=[key], set_={n: insert.excluded[n] for n in names if n != key}, where=where)
    return session.connection().execute(upsert.execution_options(preserve_rowcount=True), rows).rowcount

