package io.dbops.flinkjobs.timeseries;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.function.SerializableFunction;

/**
 * A Flink sink over {@link BufferedTimeSeriesWriter}: the job never stalls or fails because the
 * time-series store is slow or down. Each subtask reports {@code tsdbLinesWritten} and
 * {@code tsdbLinesDropped} as Flink metrics, and writes its own counts as the series
 * {@code dbops_tsdb_writer} so drops are visible on the dashboards once the store is back.
 */
public final class BufferedTimeSeriesSink<T> implements Sink<T> {
    private final BufferedTimeSeriesWriter.Settings settings;
    private final String job;
    private final SerializableFunction<T, String> toLine;

    public BufferedTimeSeriesSink(BufferedTimeSeriesWriter.Settings settings, String job, SerializableFunction<T, String> toLine) {
        this.settings = settings;
        this.job = job;
        this.toLine = toLine;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        return new Writer(subtask, context.metricGroup().counter("tsdbLinesWritten"), context.metricGroup().counter("tsdbLinesDropped"));
    }

    private final class Writer implements SinkWriter<T> {
        private final BufferedTimeSeriesWriter out = new BufferedTimeSeriesWriter(settings);
        private final int subtask;
        private final Counter writtenMetric;
        private final Counter droppedMetric;
        private long reportedWritten;
        private long reportedDropped;
        private long lastSelfReport = System.currentTimeMillis();

        Writer(int subtask, Counter written, Counter dropped) {
            this.subtask = subtask;
            this.writtenMetric = written;
            this.droppedMetric = dropped;
        }

        @Override
        public void write(T element, Context context) {
            out.write(toLine.apply(element));
            long now = System.currentTimeMillis();
            if (now - lastSelfReport >= 10_000) {
                report(now);
            }
        }

        private void report(long now) {
            lastSelfReport = now;
            writtenMetric.inc(out.written() - reportedWritten);
            droppedMetric.inc(out.dropped() - reportedDropped);
            reportedWritten = out.written();
            reportedDropped = out.dropped();
            out.write("dbops_tsdb_writer,job=" + job + ",subtask=" + subtask + " offered=" + out.offered() + "i,written="
                    + out.written() + "i,dropped=" + out.dropped() + "i " + now + "000000");
        }

        @Override
        public void flush(boolean endOfInput) throws java.io.IOException {
            if (endOfInput) {
                try {
                    out.flush();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.IOException("interrupted flushing time series", e);
                }
            }
        }

        @Override
        public void close() {
            report(System.currentTimeMillis());
            out.close();
        }
    }
}
