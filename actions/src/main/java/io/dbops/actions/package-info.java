/**
 * The action service: remediation rules map incidents and self-service requests to playbooks,
 * which run as durable, idempotent steps behind approval, anti-flapping and kill-switch gates,
 * streaming every log line to {@code dbops.actions.events}.
 */
package io.dbops.actions;
