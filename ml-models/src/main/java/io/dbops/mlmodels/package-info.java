/**
 * Pure-Java models with no Flink or Kafka dependency: hierarchical clustering of alarms into
 * incidents, and the learning-to-rank server-selection model with its hard constraints.
 */
package io.dbops.mlmodels;
