"""Alembic environment: the app's engine and metadata, batch mode for SQLite."""

import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

from breachdesk.models.derived import alembic_include_name

config = context.config
if config.config_file_name and config.attributes.get("configure_logger") is not False:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    """Render breachdesk's own column types with an import the migration can use."""
    if type_ == "type" and obj.__class__.__module__.startswith("breachdesk."):
        autogen_context.imports.add("import breachdesk.models.base")
        return f"breachdesk.models.base.{obj.__class__.__name__}()"
    return False


def run_migrations_offline():
    context.configure(
        url=str(target_db.engine.url),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_as_batch=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("render_item", render_item)
    conf_args.setdefault("compare_type", True)
    # The search table and indexes kept by the database itself are no model's to compare.
    conf_args.setdefault("include_name", alembic_include_name)

    with target_db.engine.connect() as connection, _sqlite_in_one_transaction(connection):
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()


@contextmanager
def _sqlite_in_one_transaction(connection):
    """On SQLite, run the whole upgrade in one transaction, as PostgreSQL does.

    Python's sqlite3 opens no transaction for CREATE or ALTER TABLE, so each statement was
    saved on its own: a full disk half-way left tables that the next ``db upgrade`` tripped
    over. Here sqlite3 is told to leave transactions alone and one is begun by hand; Alembic
    sees it open and leaves it to this function to commit, or to roll back on any failure.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    previous = driver.isolation_level
    driver.isolation_level = None
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, not half-way
        yield
        connection.commit()
    finally:
        connection.rollback()  # undoes a failed upgrade; nothing to do after the commit
        driver.isolation_level = previous


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
