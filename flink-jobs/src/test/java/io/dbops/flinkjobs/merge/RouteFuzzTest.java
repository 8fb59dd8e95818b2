package io.dbops.flinkjobs.merge;

import io.dbops.events.AlarmStatus;
import io.dbops.events.EventCodec;
import io.dbops.events.Severity;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.FuzzRecords;
import org.junit.jupiter.api.Test;

class RouteFuzzTest {
    @Test
    void badAlarmRecordsAreDeadLettersNotRestarts() throws Exception {
        byte[] valid = EventCodec.toBytes(MergeOperatorTest.alarm("mysql_down", "orders-0", "h1", Severity.CRITICAL, AlarmStatus.FIRING, 100_000));
        FuzzRecords.eachParsedOrDeadLettered(new MergeJob.Route(TopologySource.fixed(MergeOperatorTest.TOPOLOGY)), MergeJob.Route.DEAD_LETTERS,
                FuzzRecords.records(Topic.ALARMS.topicName(), "orders-0", valid, 33));
    }
}
