#!/bin/sh
# Submits the four dbops jobs to the session cluster (docs/deployment.md), each with its config,
# once the JobManager answers; a job already running under the same name is left alone.
set -eu
JM=flink-jobmanager:8081
until curl -fsS "http://$JM/overview" >/dev/null 2>&1; do sleep 2; done
JAR=$(ls /opt/flink/lib/dbops-flink-jobs-*.jar)
running() { curl -fsS "http://$JM/jobs/overview" | grep -o "\"name\":\"$1\",[^}]*\"state\":\"RUNNING\"" >/dev/null; }
submit() { # job name, main class, config
  if running "$1"; then echo "$1: running"; return; fi
  /opt/flink/bin/flink run -d -m "$JM" -c "$2" "$JAR" "/etc/dbops/$3" &
  sleep 20; echo "$1: submitted"
}
submit "dbops slow-SQL digest" io.dbops.flinkjobs.slowsql.SlowSqlJobMain slowsql-job.properties
submit "dbops metrics and alarm rules" io.dbops.flinkjobs.metrics.MetricsJobMain metrics-job.properties
submit "dbops alarm merging" io.dbops.flinkjobs.merge.MergeJobMain merge-job.properties
submit "dbops binlog analysis" io.dbops.flinkjobs.binlog.BinlogJobMain binlog-job.properties
wait
