package io.dbops.mlmodels.placement;

/**
 * What is to be placed: a new instance of {@code engine} needing {@code memoryGb} of memory and
 * {@code diskGb} of disk, owned by business line {@code business}, joining replica set
 * {@code cluster} (null: standalone) as {@code role}.
 */
public record PlacementRequest(String id, String engine, double memoryGb, double diskGb, String business, String cluster,
                               String role) {

    /** The engine family the features distinguish: mysql (MySQL and MariaDB), redis, mongo, or other. */
    public String engineFamily() {
        String e = engine == null ? "" : engine.toLowerCase(java.util.Locale.ROOT);
        if (e.startsWith("mysql") || e.startsWith("mariadb") || e.startsWith("percona")) {
            return "mysql";
        }
        if (e.startsWith("redis")) {
            return "redis";
        }
        if (e.startsWith("mongo")) {
            return "mongo";
        }
        return "other";
    }

    public boolean isPrimary() {
        return "primary".equalsIgnoreCase(role) || "standalone".equalsIgnoreCase(role);
    }
}
