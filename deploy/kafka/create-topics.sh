#!/bin/sh
# Creates the dbops topic catalog (docs/events/README.md) on the 3-broker cluster: replication 3,
# min.insync.replicas 2 (the brokers' default). Idempotent. TopicCatalogTest keeps this list equal
# to the code's catalog (names, partitions, cleanup).
set -eu
B=kafka-1:9092,kafka-2:9092,kafka-3:9092
until /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$B" --list >/dev/null 2>&1; do sleep 2; done
create() { # name partitions cleanup retention.ms
  cfg="--config cleanup.policy=$3"
  cfg="$cfg --config retention.ms=$4"
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$B" --create --if-not-exists --topic "$1" \
    --partitions "$2" --replication-factor 3 $cfg
}
create dbops.metrics 12 delete 259200000
create dbops.slowlog 6 delete 604800000
create dbops.binlog 12 delete 604800000
create dbops.slowsql.stats 6 delete 2592000000
create dbops.alarms 6 delete 2592000000
create dbops.incidents 3 compact,delete 7776000000
create dbops.actions.requests 3 delete 2592000000
create dbops.actions.events 6 delete 2592000000
create dbops.topology 3 compact -1
create dbops.rules 1 compact -1
create dbops.deadletter 3 delete 1209600000
