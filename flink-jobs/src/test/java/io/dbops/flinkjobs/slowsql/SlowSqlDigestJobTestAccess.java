package io.dbops.flinkjobs.slowsql;

import io.dbops.events.SlowQuery;

/** The slow-SQL tests' sample queries, for tests in other packages. */
public final class SlowSqlDigestJobTestAccess {
    private SlowSqlDigestJobTestAccess() {
    }

    public static SlowQuery query(double seconds, long at, String sql, String queryId) {
        return SlowSqlDigestJobTest.withQueryId(SlowSqlAccumulatorTest.query(seconds, at, sql), queryId);
    }
}
