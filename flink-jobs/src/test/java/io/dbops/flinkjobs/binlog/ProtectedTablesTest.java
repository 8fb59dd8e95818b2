package io.dbops.flinkjobs.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbops.events.Engine;
import io.dbops.events.InstanceRef;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProtectedTablesTest {
    static final InstanceRef DB1 = new InstanceRef("db-1", Engine.MARIADB, "shop-db", "host-1", 3306, "shop");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("exact", "shop.orders", "shop", "orders", true),
                Arguments.of("case does not matter", "SHOP.Orders", "shop", "orders", true),
                Arguments.of("other table", "shop.orders", "shop", "order_items", false),
                Arguments.of("star", "shop.order*", "shop", "order_items", true),
                Arguments.of("question mark", "shop.t?", "shop", "t1", true),
                Arguments.of("dot is literal", "shop.a.b", "shop", "aXb", false),
                Arguments.of("any database", "*.ledger", "finance", "ledger", true),
                Arguments.of("this cluster", "cluster:shop-db/shop.orders", "shop", "orders", true),
                Arguments.of("another cluster", "cluster:pay-db/shop.orders", "shop", "orders", false),
                Arguments.of("this instance", "instance:db-1/shop.*", "shop", "x", true),
                Arguments.of("another instance", "instance:db-2/shop.*", "shop", "x", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matches(String name, String spec, String db, String table, boolean match) {
        ProtectedTables p = new ProtectedTables(List.of(ProtectedTables.parse(spec, "why")));
        assertThat(p.match(DB1, db, table) != null).isEqualTo(match);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badSpecsSayWhy(String spec, String message) {
        assertThatThrownBy(() -> ProtectedTables.parse(spec, null)).hasMessageContaining(message);
    }

    static Stream<Arguments> bad() {
        return Stream.of(Arguments.of("orders", "expected db.table"), Arguments.of("shop.", "expected db.table"),
                Arguments.of("rack:1/shop.orders", "cluster:NAME or instance:ID"));
    }
}
