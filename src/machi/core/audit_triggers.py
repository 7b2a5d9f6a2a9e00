"""SQL that makes the database itself refuse UPDATE and DELETE on the audit log.

Used by migration 0002 and by the test suite, which must lift the SQLite DELETE trigger
for the moment Django empties the tables between browser tests (PostgreSQL empties
them with TRUNCATE, which row triggers do not see).
"""

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditentry is append-only'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditentry_no_update ON core_auditentry;
CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS core_auditentry_no_update ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_append_only();
"""
SQLITE_CREATE = [
    "CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only'); END;",
    "CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'core_auditentry is append-only'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete;",
]


def _execute(connection, postgres: str, sqlite: list[str]) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(postgres)
        elif connection.vendor == "sqlite":
            for statement in sqlite:
                cursor.execute(statement)


def create_triggers(connection) -> None:  # type: ignore[no-untyped-def]
    _execute(connection, POSTGRES_CREATE, SQLITE_CREATE)


def drop_triggers(connection) -> None:  # type: ignore[no-untyped-def]
    _execute(connection, POSTGRES_DROP, SQLITE_DROP)
