import type { Migration } from '../migration.ts';

/**
 * The live trading journal: the facts the service reloads on boot and reconciles with the broker
 * (orders, fills, breaker events, engine snapshot), what it tells the operator (outbox), and what
 * the operator told it (audit).
 *
 * Money is integer cents in STRICT tables, so a fractional amount is rejected rather than stored.
 * Prices are REAL: they sit on the 0.25 grid, which binary floating point represents exactly.
 * There are no foreign keys between orders and fills: a fill the broker reports for an order we
 * never recorded (placed by hand in TWS, or lost before a crash) must still be kept.
 * Free-text kinds that are likely to grow (exit reasons, alert kinds, commands) have no CHECK,
 * because widening a CHECK in SQLite means rebuilding the table.
 */
export const liveTrading: Migration = {
  version: 2,
  name: 'live trading journal',
  up: `
    CREATE TABLE orders (
      id             INTEGER PRIMARY KEY,
      ref            TEXT    NOT NULL UNIQUE,
      broker_id      INTEGER,
      action         TEXT    NOT NULL CHECK (action IN ('buy', 'sell')),
      type           TEXT    NOT NULL CHECK (type IN ('market', 'stop', 'limit')),
      qty            INTEGER NOT NULL CHECK (qty > 0),
      price          REAL    CHECK (type = 'market' OR price IS NOT NULL),
      oca_group      TEXT,
      parent_ref     TEXT,
      reason         TEXT,
      status         TEXT    NOT NULL
                     CHECK (status IN ('pending', 'submitted', 'partially_filled', 'filled', 'cancelled', 'rejected')),
      filled_qty     INTEGER NOT NULL DEFAULT 0 CHECK (filled_qty >= 0 AND filled_qty <= qty),
      avg_fill_price REAL,
      created_at     INTEGER NOT NULL,
      updated_at     INTEGER NOT NULL,
      last_error     TEXT
    ) STRICT;

    -- IB may reuse order ids after an API id reset, so this is a lookup, not a uniqueness rule.
    CREATE INDEX orders_by_broker_id ON orders (broker_id) WHERE broker_id IS NOT NULL;
    -- Open orders are few among many closed ones; the partial index keeps reconcile cheap.
    CREATE INDEX orders_open ON orders (id) WHERE status IN ('pending', 'submitted', 'partially_filled');

    CREATE TABLE fills (
      id               INTEGER PRIMARY KEY,
      exec_id          TEXT    NOT NULL UNIQUE,
      order_ref        TEXT    NOT NULL,
      action           TEXT    NOT NULL CHECK (action IN ('buy', 'sell')),
      qty              INTEGER NOT NULL CHECK (qty > 0),
      price            REAL    NOT NULL,
      time             INTEGER NOT NULL,
      commission_cents INTEGER NOT NULL
    ) STRICT;

    CREATE INDEX fills_by_order ON fills (order_ref, id);
    CREATE INDEX fills_by_time ON fills (time, id);

    CREATE TABLE journal_trades (
      id               INTEGER PRIMARY KEY,
      side             TEXT    NOT NULL CHECK (side IN ('long', 'short')),
      qty              INTEGER NOT NULL CHECK (qty > 0),
      entry_time       INTEGER NOT NULL,
      entry_price      REAL    NOT NULL,
      exit_time        INTEGER NOT NULL,
      exit_price       REAL    NOT NULL,
      exit_reason      TEXT    NOT NULL,
      commission_cents INTEGER NOT NULL,
      pnl_cents        INTEGER NOT NULL,
      session_start    INTEGER NOT NULL,
      entry_ref        TEXT,
      exit_ref         TEXT    NOT NULL UNIQUE
    ) STRICT;

    CREATE INDEX journal_trades_by_exit ON journal_trades (exit_time, id);
    CREATE INDEX journal_trades_by_session ON journal_trades (session_start, exit_time, id);

    CREATE TABLE facts (
      key        TEXT    PRIMARY KEY,
      value_json TEXT    NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE breaker_events (
      id     INTEGER PRIMARY KEY,
      time   INTEGER NOT NULL,
      kind   TEXT    NOT NULL CHECK (kind IN ('trip', 'reset', 'cooldown', 'cooldown_end')),
      reason TEXT    CHECK (reason IN ('daily_loss', 'drawdown', 'consecutive_losses', 'supervisor', 'manual', 'session')),
      detail TEXT,
      until  INTEGER
    ) STRICT;

    CREATE TABLE daily_pnl (
      session_start  INTEGER PRIMARY KEY,
      realised_cents INTEGER NOT NULL,
      trades         INTEGER NOT NULL CHECK (trades >= 0),
      wins           INTEGER NOT NULL CHECK (wins >= 0),
      losses         INTEGER NOT NULL CHECK (losses >= 0),
      updated_at     INTEGER NOT NULL
    ) STRICT;

    -- AUTOINCREMENT: an id is never handed out twice, so a late markDelivered cannot hit a newer alert.
    CREATE TABLE outbox (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      kind            TEXT    NOT NULL,
      text            TEXT    NOT NULL,
      payload_json    TEXT,
      created_at      INTEGER NOT NULL,
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      delivered_at    INTEGER,
      abandoned_at    INTEGER,
      last_error      TEXT,
      silent          INTEGER NOT NULL CHECK (silent IN (0, 1))
    ) STRICT;

    CREATE INDEX outbox_pending ON outbox (id, next_attempt_at) WHERE delivered_at IS NULL AND abandoned_at IS NULL;

    CREATE TABLE audit (
      id          INTEGER PRIMARY KEY,
      time        INTEGER NOT NULL,
      source      TEXT    NOT NULL CHECK (source IN ('web', 'telegram', 'cli', 'system')),
      principal   TEXT    NOT NULL,
      command     TEXT    NOT NULL,
      args_json   TEXT    NOT NULL,
      ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
      result_json TEXT
    ) STRICT;

    -- The audit trail is evidence; the database refuses to rewrite it, whoever asks.
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN
      SELECT RAISE(ABORT, 'audit is append-only: rows cannot be updated');
    END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN
      SELECT RAISE(ABORT, 'audit is append-only: rows cannot be deleted');
    END;

    CREATE TABLE transitions (
      id         INTEGER PRIMARY KEY,
      time       INTEGER NOT NULL,
      actor      TEXT    NOT NULL,
      from_state TEXT,
      to_state   TEXT    NOT NULL,
      event_type TEXT    NOT NULL
    ) STRICT;

    CREATE INDEX transitions_by_actor ON transitions (actor, id);
  `,
};
