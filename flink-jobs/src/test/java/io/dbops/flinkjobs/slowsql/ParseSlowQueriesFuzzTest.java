package io.dbops.flinkjobs.slowsql;

import io.dbops.events.EventCodec;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.FuzzRecords;
import org.junit.jupiter.api.Test;

class ParseSlowQueriesFuzzTest {
    @Test
    void badSlowQueryRecordsAreDeadLettersNotRestarts() throws Exception {
        byte[] valid = EventCodec.toBytes(SlowSqlDigestJobTest.withQueryId(SlowSqlAccumulatorTest.query(1.5, 1_000_000, "SELECT 1"), "Q1"));
        FuzzRecords.eachParsedOrDeadLettered(new ParseSlowQueries(), ParseSlowQueries.DEAD_LETTERS,
                FuzzRecords.records(Topic.SLOWLOG.topicName(), "db-1", valid, 31));
    }
}
