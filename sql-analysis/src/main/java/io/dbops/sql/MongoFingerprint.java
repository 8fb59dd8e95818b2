package io.dbops.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The fingerprint pt-mongodb-query-digest gives a MongoDB profiler ({@code system.profile})
 * document, so our Mongo query ids match the ones DBAs already have: operation, collection and
 * the sorted, distinct field names the operation filters or sorts on, e.g. {@code FIND coll a,b}.
 * Values never enter it. Works on profiles from MongoDB 2.6 (legacy {@code query} documents,
 * {@code $cmd} namespaces) to 3.6+ ({@code command} documents); documents are plain maps and lists
 * (a driver {@code Document} or parsed JSON), so this class needs no driver.
 *
 * <p>Rules, in order: a legacy query with {@code $explain}, or an {@code explain} command, is
 * {@code EXPLAIN} with no namespace; {@code $eval} is {@code EVAL} on the database; inserts,
 * getMores and geoNear have no keys; updates and removes use their query ({@code q}); find uses its
 * filter and sort; aggregate its {@code $match} stages; count, mapReduce and findAndModify their
 * {@code query}; distinct its {@code key} plus query; group its key and {@code cond}. Inside a
 * filter, operators ({@code $and}, {@code $or}, ...) are descended into, field names are taken
 * as they are and their values are not.
 */
public record MongoFingerprint(String operation, String database, String collection, List<String> keys) {

    public String namespace() {
        if (database.isEmpty()) {
            return "";
        }
        return collection.isEmpty() ? database : database + "." + collection;
    }

    public String fingerprint() {
        StringBuilder sb = new StringBuilder(operation);
        if (!collection.isEmpty()) {
            sb.append(' ').append(collection);
        }
        if (!keys.isEmpty()) {
            sb.append(' ').append(String.join(",", keys));
        }
        return sb.toString();
    }

    /** Upper-case hex MD5 of the fingerprint, as for SQL. */
    public String queryId() {
        return Fingerprinter.queryId(fingerprint());
    }

    public static MongoFingerprint of(Map<String, ?> profile) {
        String ns = string(profile.get("ns"));
        int dot = ns.indexOf('.');
        String db = dot < 0 ? ns : ns.substring(0, dot);
        String coll = dot < 0 ? "" : ns.substring(dot + 1);
        String op = string(profile.get("op")).toLowerCase(Locale.ROOT);
        Map<String, ?> query = map(profile.get("query"));
        Map<String, ?> command = map(profile.get("command"));
        TreeSet<String> keys = new TreeSet<>();
        switch (op) {
            case "query" -> {
                if (query != null && query.containsKey("$explain")) {
                    return new MongoFingerprint("EXPLAIN", "", "", List.of());
                }
                Map<String, ?> find = command != null ? command : query;
                if (find != null && find.containsKey("find")) {
                    fields(map(find.get("filter")), keys);
                    fields(map(find.get("sort")), keys);
                } else if (find != null && (find.containsKey("query") || find.containsKey("$query"))) {
                    fields(map(find.containsKey("query") ? find.get("query") : find.get("$query")), keys);
                    fields(map(find.containsKey("orderby") ? find.get("orderby") : find.get("$orderby")), keys);
                } else {
                    fields(find, keys);
                }
                return done("FIND", db, coll, keys);
            }
            case "insert" -> {
                return done("INSERT", db, coll, keys);
            }
            case "getmore" -> {
                return done("GETMORE", db, coll, keys);
            }
            case "update", "remove" -> {
                fields(query != null ? query : command == null ? null : map(command.get("q")), keys);
                return done(op.toUpperCase(Locale.ROOT), db, coll, keys);
            }
            default -> {
                // commands
            }
        }
        if (command == null || command.isEmpty()) {
            return done(op.toUpperCase(Locale.ROOT), db, coll, keys);
        }
        String name = command.keySet().iterator().next();
        Object target = command.get(name);
        if (coll.equals("$cmd") || coll.isEmpty()) {
            coll = target instanceof String s ? s : "";
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "explain" -> {
                return new MongoFingerprint("EXPLAIN", "", "", List.of());
            }
            case "$eval", "eval" -> {
                return done("EVAL", db, "", keys);
            }
            case "aggregate" -> {
                if (command.get("pipeline") instanceof List<?> stages) {
                    for (Object stage : stages) {
                        Map<String, ?> s = map(stage);
                        if (s != null) {
                            fields(map(s.get("$match")), keys);
                        }
                    }
                }
                return done("AGGREGATE", db, coll, keys);
            }
            case "count", "mapreduce", "findandmodify" -> {
                fields(map(command.get("query")), keys);
                return done(name.toUpperCase(Locale.ROOT), db, coll, keys);
            }
            case "distinct" -> {
                if (command.get("key") instanceof String k) {
                    keys.add(k);
                }
                fields(map(command.get("query")), keys);
                return done("DISTINCT", db, coll, keys);
            }
            case "group" -> {
                Map<String, ?> g = map(target);
                if (g != null) {
                    if (coll.isEmpty() || coll.equals("$cmd")) {
                        coll = string(g.get("ns"));
                    }
                    fields(map(g.get("key")), keys);
                    fields(map(g.get("cond")), keys);
                }
                return done("GROUP", db, coll, keys);
            }
            case "find" -> {
                fields(map(command.get("filter")), keys);
                fields(map(command.get("sort")), keys);
                return done("FIND", db, coll, keys);
            }
            case "geonear" -> {
                return done("GEONEAR", db, coll, keys);
            }
            default -> {
                return done(name.toUpperCase(Locale.ROOT), db, coll, keys);
            }
        }
    }

    private static MongoFingerprint done(String op, String db, String coll, TreeSet<String> keys) {
        return new MongoFingerprint(op, db, coll, List.copyOf(new ArrayList<>(keys)));
    }

    /** Field names of a filter: operators are descended into, a field's own value is not. */
    private static void fields(Map<String, ?> filter, TreeSet<String> out) {
        if (filter == null) {
            return;
        }
        for (Map.Entry<String, ?> e : filter.entrySet()) {
            if (!e.getKey().startsWith("$")) {
                out.add(e.getKey());
            } else if (e.getValue() instanceof List<?> list) {
                for (Object o : list) {
                    fields(map(o), out);
                }
            } else {
                fields(map(e.getValue()), out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, ?>) m : null;
    }

    private static String string(Object o) {
        return o == null ? "" : o.toString();
    }
}
