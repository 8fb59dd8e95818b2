package io.dbops.collectors.metrics;

import io.dbops.events.InstanceRef;
import java.time.Duration;

/**
 * One instance to poll: its identity (repeated in every sample), where to connect, its role in
 * the inventory ({@code primary}, {@code replica}, {@code sentinel}...), the key of its
 * credentials in the secrets file ({@code REF.user}, {@code REF.password}) if it needs any, and
 * its own full-poll interval (null: the collector's default).
 */
public record MetricsTarget(InstanceRef instance, String host, int port, String role, String credentialRef, Duration interval) {
    public MetricsTarget(InstanceRef instance, String host, int port, String role, String credentialRef) {
        this(instance, host, port, role, credentialRef, null);
    }

    public String id() {
        return instance.id();
    }
}
