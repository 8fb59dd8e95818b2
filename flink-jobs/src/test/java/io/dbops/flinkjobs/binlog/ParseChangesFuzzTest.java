package io.dbops.flinkjobs.binlog;

import io.dbops.events.BinlogOp;
import io.dbops.events.EventCodec;
import io.dbops.events.Topic;
import io.dbops.flinkjobs.FuzzRecords;
import org.junit.jupiter.api.Test;

class ParseChangesFuzzTest {
    @Test
    void badBinlogRecordsAreDeadLettersNotRestarts() throws Exception {
        byte[] valid = EventCodec.toBytes(TableRulesTest.change("0-1-5", 0, 1, BinlogOp.UPDATE, TableRulesTest.T0));
        FuzzRecords.eachParsedOrDeadLettered(new BinlogJob.ParseChanges(), BinlogJob.DEAD_LETTERS,
                FuzzRecords.records(Topic.BINLOG.topicName(), "shop-db/shop.orders", valid, 32));
    }
}
