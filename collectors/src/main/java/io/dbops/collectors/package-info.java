/**
 * Collectors: poll MySQL/MariaDB, Redis and MongoDB, tail slow logs and capture binlog changes,
 * and publish what they see to the {@code dbops.metrics}, {@code dbops.slowlog} and
 * {@code dbops.binlog} topics. They know nothing about alarms or actions.
 */
package io.dbops.collectors;
