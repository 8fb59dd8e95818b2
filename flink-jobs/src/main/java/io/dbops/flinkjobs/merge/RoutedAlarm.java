package io.dbops.flinkjobs.merge;

import io.dbops.events.Alarm;

/** An alarm with the key it is merged under (its dc; host and rack correlation stay within one key). */
public record RoutedAlarm(String key, Alarm alarm) {
}
