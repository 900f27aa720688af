"""Change cursors follow commit order: a writer that commits later never gets a smaller cursor."""

import threading
import time

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from sync.server.changes import read_page, record_changes
from sync.server.db import make_engine, reader_sessions, transaction
from sync.server.models import Change


def test_a_later_commit_never_gets_a_smaller_cursor(db_url):
    engine = make_engine(db_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    first = sessions()
    first.begin()
    record_changes(first, [("notice", "first", {"id": "first"})], time.time())
    second_done = threading.Event()

    def second_writer():
        with transaction(sessions) as session:
            record_changes(session, [("notice", "second", {"id": "second"})], time.time())
        second_done.set()

    writer = threading.Thread(target=second_writer, name="second-writer")
    writer.start()
    try:
        assert not second_done.wait(0.5), "the second writer must wait for the first to commit"
        with transaction(reader_sessions(engine)) as reader:
            assert read_page(reader, 0, 10)["changes"] == []
        first.commit()
    finally:
        first.close()
        writer.join(30)
    assert second_done.is_set()
    with sessions() as session:
        order = [c.item_id for c in session.scalars(select(Change).order_by(Change.cursor))]
    engine.dispose()
    assert order == ["first", "second"]
