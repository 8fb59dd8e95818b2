package io.dbops.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming reader for {@link SlowQuery}, the other high-volume event (every slow-log entry of
 * the fleet). Like {@link MetricSampleReader} it accepts only plainly valid documents and returns
 * null for anything else, which the caller reads again the careful way for a precise error.
 */
final class SlowQueryReader {
    /** Decimals read by the fast (and exact) double parser: the standard one was a tenth of the parse. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private SlowQueryReader() {
    }

    static SlowQuery read(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            EnvelopeFields env = new EnvelopeFields();
            String[] text = new String[8]; // query, fingerprint, queryId, database, user, clientHost, source
            Long[] longs = new Long[5];    // threadId, rowsSent, rowsExamined, rowsAffected, bytesSent
            double queryTime = Double.NaN;
            Double lockTime = null;
            Map<String, String> attributes = null;
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                Boolean header = env.read(name, t, p);
                if (header != null) {
                    if (!header) {
                        return null;
                    }
                    continue;
                }
                switch (name) {
                    case "query" -> {
                        if (!string(p, t, text, 0)) {
                            return null;
                        }
                    }
                    case "fingerprint" -> {
                        if (!string(p, t, text, 1)) {
                            return null;
                        }
                    }
                    case "queryId" -> {
                        if (!string(p, t, text, 2)) {
                            return null;
                        }
                    }
                    case "database" -> {
                        if (!string(p, t, text, 3)) {
                            return null;
                        }
                    }
                    case "user" -> {
                        if (!string(p, t, text, 4)) {
                            return null;
                        }
                    }
                    case "clientHost" -> {
                        if (!string(p, t, text, 5)) {
                            return null;
                        }
                    }
                    case "source" -> {
                        if (!string(p, t, text, 6)) {
                            return null;
                        }
                    }
                    case "threadId", "rowsSent", "rowsExamined", "rowsAffected", "bytesSent" -> {
                        int i = switch (name) {
                            case "threadId" -> 0;
                            case "rowsSent" -> 1;
                            case "rowsExamined" -> 2;
                            case "rowsAffected" -> 3;
                            default -> 4;
                        };
                        if (t == JsonToken.VALUE_NUMBER_INT) {
                            longs[i] = p.getLongValue();
                        } else if (t != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    case "queryTimeSec" -> {
                        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                            return null;
                        }
                        queryTime = p.getDoubleValue();
                    }
                    case "lockTimeSec" -> {
                        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                            lockTime = p.getDoubleValue();
                        } else if (t != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    case "attributes" -> {
                        if (t == JsonToken.START_OBJECT) {
                            attributes = new LinkedHashMap<>();
                            String k;
                            while ((k = p.nextFieldName()) != null) {
                                if (p.nextToken() != JsonToken.VALUE_STRING) {
                                    return null;
                                }
                                attributes.put(k, p.getText());
                            }
                        } else if (t != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null || !env.complete(SlowQuery.SCHEMA) || text[0] == null
                    || Double.isNaN(queryTime)) {
                return null;
            }
            return new SlowQuery(env.schema, env.time, env.instance, text[0], text[1], text[2], text[3], text[4], text[5], longs[0], queryTime, lockTime,
                    longs[1], longs[2], longs[3], longs[4], attributes, text[6]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean string(JsonParser p, JsonToken t, String[] into, int i) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            into[i] = p.getText();
            return true;
        }
        return t == JsonToken.VALUE_NULL;
    }
}
