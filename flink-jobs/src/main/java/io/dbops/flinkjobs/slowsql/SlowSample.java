package io.dbops.flinkjobs.slowsql;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import io.dbops.events.SlowQuery;

/**
 * What the digest needs of a slow query, without its attribute map: the combiner folds samples
 * into partial digests in the source's chain (they no longer cross the network; the partials do),
 * keyed by {@link #key}.
 */
public final class SlowSample {
    public String key;
    public long time;
    public String instanceId;
    public Engine engine;
    public String cluster;
    public String host;
    public Integer port;
    public String businessLine;
    public String queryId;
    public String fingerprint;
    public String database;
    public String query;
    public String explain;
    public double queryTime;
    public double lockTime = Double.NaN;
    public long rowsSent = -1;
    public long rowsExamined = -1;

    public SlowSample() {
    }

    public static SlowSample of(SlowQuery q) {
        SlowSample s = new SlowSample();
        s.key = key(q.instance().id(), q.queryId());
        s.time = q.time().toEpochMilli();
        s.instanceId = q.instance().id();
        s.engine = q.instance().engine();
        s.cluster = q.instance().cluster();
        s.host = q.instance().host();
        s.port = q.instance().port();
        s.businessLine = q.instance().businessLine();
        s.queryId = q.queryId();
        s.fingerprint = q.fingerprint();
        s.database = q.database();
        s.query = q.query();
        s.explain = q.attributes() == null ? null : q.attributes().get("explain");
        s.queryTime = q.queryTimeSec();
        s.lockTime = q.lockTimeSec() == null ? Double.NaN : q.lockTimeSec();
        s.rowsSent = q.rowsSent() == null ? -1 : q.rowsSent();
        s.rowsExamined = q.rowsExamined() == null ? -1 : q.rowsExamined();
        return s;
    }

    /** The window's key of a query: its instance and query id. */
    public static String key(String instanceId, String queryId) {
        return instanceId + "|" + queryId;
    }

    public InstanceRef instance() {
        return new InstanceRef(instanceId, engine, cluster, host, port, businessLine);
    }
}
