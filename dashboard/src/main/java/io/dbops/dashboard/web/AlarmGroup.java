package io.dbops.dashboard.web;

import io.dbops.events.Alarm;
import java.util.List;

/** Alarms of one place (a host, or an instance without a host) on the incident page. */
public record AlarmGroup(String title, List<Alarm> alarms) {
}
