package io.dbops.sql;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;

import static org.assertj.core.api.Assertions.within;

/** Compares our digest document with pt-query-digest's for the same input, reporting every difference. */
final class PtComparison {
    private PtComparison() {
    }

    static void assertMatches(JsonNode ours, JsonNode expected) {
        Map<String, JsonNode> ourClasses = new HashMap<>();
        ours.get("classes").forEach(c -> ourClasses.put(c.get("checksum").asText(), c));
        List<String> expectedIds = new ArrayList<>();
        expected.get("classes").forEach(c -> expectedIds.add(c.get("checksum").asText()));
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(ourClasses.keySet()).as("checksums").containsExactlyInAnyOrderElementsOf(expectedIds);
        for (JsonNode pt : expected.get("classes")) {
            JsonNode our = ourClasses.get(pt.get("checksum").asText());
            if (our == null) {
                continue;
            }
            String id = pt.get("fingerprint").asText();
            soft.assertThat(our.get("fingerprint").asText()).as("fingerprint").isEqualTo(id);
            soft.assertThat(our.get("query_count").asLong()).as("%s query_count", id).isEqualTo(pt.get("query_count").asLong());
            for (String attr : List.of("Query_time", "Lock_time")) {
                JsonNode p = pt.get("metrics").get(attr);
                if (p == null) {
                    continue;
                }
                JsonNode o = our.get("metrics").get(attr);
                soft.assertThat(o).as("%s %s present", id, attr).isNotNull();
                if (o == null) {
                    continue;
                }
                for (String stat : List.of("sum", "min", "max")) {
                    soft.assertThat(o.get(stat).asDouble()).as("%s %s %s", id, attr, stat).isCloseTo(p.get(stat).asDouble(), within(1e-6));
                }
                for (String stat : List.of("median", "pct_95")) {
                    double e = p.get(stat).asDouble();
                    soft.assertThat(o.get(stat).asDouble()).as("%s %s %s", id, attr, stat).isCloseTo(e, within(1e-6));
                }
            }
            pt.get("metrics").fieldNames().forEachRemaining(attr -> {
                if (attr.startsWith("Rows_")) {
                    JsonNode o = our.get("metrics").get(attr);
                    soft.assertThat(o).as("%s %s present", id, attr).isNotNull();
                    if (o != null) {
                        soft.assertThat(o.get("sum").asLong()).as("%s %s sum", id, attr).isEqualTo(pt.get("metrics").get(attr).get("sum").asLong());
                    }
                }
            });
        }
        soft.assertAll();
    }
}
