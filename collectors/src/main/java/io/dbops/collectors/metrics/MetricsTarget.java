package io.dbops.collectors.metrics;

import io.dbops.events.InstanceRef;

/**
 * One instance to poll: its identity (repeated in every sample), where to connect, its role in
 * the inventory ({@code primary}, {@code replica}, {@code sentinel}...) and the key of its
 * credentials in the secrets file ({@code REF.user}, {@code REF.password}), if it needs any.
 */
public record MetricsTarget(InstanceRef instance, String host, int port, String role, String credentialRef) {
    public String id() {
        return instance.id();
    }
}
