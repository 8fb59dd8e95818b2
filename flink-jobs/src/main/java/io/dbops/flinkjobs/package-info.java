/**
 * Flink DataStream jobs: metric rules to alarms, slow-SQL window digests, binlog analysis and the
 * streaming hierarchical alarm merger. They read and write Kafka and never talk to the fleet.
 */
package io.dbops.flinkjobs;
