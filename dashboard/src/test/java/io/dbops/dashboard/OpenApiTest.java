package io.dbops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.router.ParsedEndpoint;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class OpenApiTest {

    @Test
    void everyApiRouteIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        Javalin app = new DashboardApp(new DashboardApp.Services(null, null, null, null, null)).create();
        Set<String> routes = new TreeSet<>();
        for (ParsedEndpoint e : app.unsafe.internalRouter.allHttpHandlers()) {
            String method = e.endpoint.method.name().toLowerCase(Locale.ROOT);
            if (e.endpoint.path.startsWith("/api/") && (method.equals("get") || method.equals("post"))) {
                routes.add(method + " " + e.endpoint.path);
            }
        }
        JsonNode doc = new ObjectMapper().readTree(DashboardApp.class.getResourceAsStream("/web/openapi.json"));
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> documented.add(m + " " + p.getKey())));
        assertThat(routes).isNotEmpty();
        assertThat(documented).isEqualTo(routes);
    }
}
