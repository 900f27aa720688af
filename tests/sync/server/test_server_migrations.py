"""The Alembic head matches the models, on SQLite and PostgreSQL; downgrade and upgrade again work."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from sync.server.db import make_engine
from sync.server.migrations import alembic_config, upgrade
from sync.server.models import Base


def test_alembic_head_matches_models(db_url):
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_upgrade_again(db_url):
    from alembic import command

    engine = make_engine(db_url)
    try:
        config = alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert "ops" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
