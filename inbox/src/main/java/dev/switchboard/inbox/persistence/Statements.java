package dev.switchboard.inbox.persistence;

import io.vertx.sqlclient.SqlConnectOptions;

/**
 * Which statements the reactive client may keep prepared on a connection. A statement kept prepared
 * gets PostgreSQL's plan cache: after five executions the server may switch to one generic plan
 * for every parameter value and keep it until the tables are analyzed again. On a young database
 * that plan is made while the tables are nearly empty, so it can be a sequential scan that then
 * runs on tables growing by thousands of rows a minute: the end-to-end payload read, done once per
 * device for every message, became a scan of every payload and wrapped key ever stored (the fanout
 * benchmark measured about 19 ms of PostgreSQL CPU per message, most of the server's). A statement that starts with
 * {@link #PLAN_PER_EXECUTION} is never kept prepared, so PostgreSQL plans it on every execution
 * for its actual parameters and the tables' current size; the planning costs a fraction of a
 * millisecond, a scan grows with the data.
 */
public final class Statements {
    /** The prefix that marks a statement to be planned again on every execution. */
    public static final String PLAN_PER_EXECUTION = "/* plan per execution */ ";

    private Statements() {}

    /**
     * The filter for {@link SqlConnectOptions#setPreparedStatementCacheSqlFilter}: the client's own
     * default (statements under its length limit), except those marked {@link #PLAN_PER_EXECUTION}.
     */
    public static boolean cacheable(String sql) {
        return sql.length() < SqlConnectOptions.DEFAULT_PREPARED_STATEMENT_CACHE_SQL_LIMIT && !sql.startsWith(PLAN_PER_EXECUTION);
    }
}
