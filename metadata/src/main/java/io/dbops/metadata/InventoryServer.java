package io.dbops.metadata;

/** A server (host) of the fleet with its place in the topology: rack and data centre. */
public record InventoryServer(String name, String address, String rack, String dc, String hardware, boolean maintenance) {
}
