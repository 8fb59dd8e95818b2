package io.dbops.mlmodels.merge;

/**
 * One firing alarm as the merger sees it: id, event time (epoch ms), free-form type, severity
 * (0 info, 1 warning, 2 critical) and location.
 */
public record AlarmPoint(String id, long ts, String type, int severity, Location location) implements java.io.Serializable {
    public static int severity(String s) {
        if (s == null) {
            return 1;
        }
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "critical" -> 2;
            case "info" -> 0;
            default -> 1;
        };
    }
}
