package io.dbops.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;

/** The fields every per-instance event starts with, as the streaming readers collect them. */
final class EnvelopeFields {
    int schema = -1;
    Instant time;
    InstanceRef instance;

    /** Reads {@code name} if it is one of them: TRUE read, FALSE present but not valid, null not one of them. */
    Boolean read(String name, JsonToken t, JsonParser p) throws IOException {
        switch (name) {
            case "schema" -> {
                if (t != JsonToken.VALUE_NUMBER_INT) {
                    return false;
                }
                schema = p.getIntValue();
                return true;
            }
            case "time" -> {
                if (t != JsonToken.VALUE_STRING) {
                    return false;
                }
                time = IsoInstant.parse(p.getText());
                return true;
            }
            case "instance" -> {
                instance = MetricSampleReader.instance(p, t);
                return instance != null;
            }
            default -> {
                return null;
            }
        }
    }

    /** Whether all three were read and the schema version is one this build reads (1 to {@code newest}). */
    boolean complete(int newest) {
        return schema >= 1 && schema <= newest && time != null && instance != null;
    }
}
