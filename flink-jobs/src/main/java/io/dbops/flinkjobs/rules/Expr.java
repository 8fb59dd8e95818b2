package io.dbops.flinkjobs.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A rule expression over one instance's latest metrics, e.g.
 * {@code mysql_replication.io_running == 0 or mysql_replication.sql_running == 0} or
 * {@code 1 - rate(mysql_status.innodb_buffer_pool_reads) / rate(mysql_status.innodb_buffer_pool_read_requests)}.
 *
 * <p>References are {@code measurement.field}. Functions: {@code rate(ref)} (per-second increase of a
 * counter; a decrease is a restart and counts the new value as the increase), {@code deriv(ref)}
 * (per-second change of a gauge, may be negative), {@code delta(ref)} (change since the previous
 * sample), {@code abs}, {@code min}, {@code max}, {@code present(ref)} (1 when the field has a
 * value). Booleans are 1 and 0. A value the server reported as NULL, or never reported, is
 * <em>unknown</em> (NaN): arithmetic and comparisons with it are unknown, {@code false and unknown}
 * is false, {@code true or unknown} is true, and a rule whose condition is unknown keeps its state.
 */
public final class Expr implements Serializable {
    /** Where an expression reads metric values. */
    public interface Values {
        /** The latest value of {@code measurement.field}, NaN when unknown. */
        double value(String measurement, String field);

        /** rate, deriv or delta of {@code measurement.field} from its last two samples, NaN when unknown. */
        double change(String function, String measurement, String field);
    }

    private final String text;
    private final Node root;
    private final Set<String> refs;
    private final Set<String> measurements;

    private Expr(String text, Node root, Set<String> refs) {
        this.text = text;
        this.root = root;
        this.refs = refs;
        Set<String> m = new TreeSet<>();
        for (String r : refs) {
            m.add(r.substring(0, r.indexOf('.')));
        }
        this.measurements = java.util.Collections.unmodifiableSet(m);
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the position and what was expected. */
    public static Expr parse(String text) {
        Parser p = new Parser(text);
        Node n = p.or();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + text.substring(p.pos, Math.min(text.length(), p.pos + 10)) + "'");
        }
        return new Expr(text, n, java.util.Collections.unmodifiableSet(p.refs));
    }

    public double eval(Values v) {
        return root.eval(v);
    }

    /** Every {@code measurement.field} the expression reads. */
    public Set<String> refs() {
        return refs;
    }

    /** The measurements it reads (the part of each reference before the first dot). */
    public Set<String> measurements() {
        return measurements;
    }

    @Override
    public String toString() {
        return text;
    }

    private interface Node extends Serializable {
        double eval(Values v);
    }

    private static double bool(boolean b) {
        return b ? 1 : 0;
    }

    private static final class Parser {
        private static final Set<String> CHANGE_FUNCTIONS = Set.of("rate", "deriv", "delta");
        private final String s;
        private final Set<String> refs = new TreeSet<>();
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("expression '" + s + "' at " + (pos + 1) + ": " + what);
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean word(String w) {
            skipSpace();
            int end = pos + w.length();
            if (s.regionMatches(true, pos, w, 0, w.length()) && (end == s.length() || !identChar(s.charAt(end)))) {
                pos = end;
                return true;
            }
            return false;
        }

        boolean symbol(String sym) {
            skipSpace();
            if (s.startsWith(sym, pos)) {
                pos += sym.length();
                return true;
            }
            return false;
        }

        Node or() {
            Node left = and();
            while (word("or") || symbol("||")) {
                Node a = left;
                Node b = and();
                left = v -> {
                    double x = a.eval(v);
                    double y = b.eval(v);
                    if (x == 1 || y == 1 || (x != 0 && !Double.isNaN(x)) || (y != 0 && !Double.isNaN(y))) {
                        return 1;
                    }
                    return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : 0;
                };
            }
            return left;
        }

        Node and() {
            Node left = not();
            while (word("and") || symbol("&&")) {
                Node a = left;
                Node b = not();
                left = v -> {
                    double x = a.eval(v);
                    double y = b.eval(v);
                    if (x == 0 || y == 0) {
                        return 0;
                    }
                    return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : 1;
                };
            }
            return left;
        }

        Node not() {
            if (word("not") || (peek('!') && !s.startsWith("!=", pos) && symbol("!"))) {
                Node a = not();
                return v -> {
                    double x = a.eval(v);
                    return Double.isNaN(x) ? Double.NaN : bool(x == 0);
                };
            }
            return comparison();
        }

        boolean peek(char c) {
            skipSpace();
            return pos < s.length() && s.charAt(pos) == c;
        }

        Node comparison() {
            Node a = additive();
            for (String op : List.of(">=", "<=", "==", "!=", ">", "<")) {
                if (symbol(op)) {
                    Node b = additive();
                    return v -> {
                        double x = a.eval(v);
                        double y = b.eval(v);
                        if (Double.isNaN(x) || Double.isNaN(y)) {
                            return Double.NaN;
                        }
                        return switch (op) {
                            case ">=" -> bool(x >= y);
                            case "<=" -> bool(x <= y);
                            case "==" -> bool(x == y);
                            case "!=" -> bool(x != y);
                            case ">" -> bool(x > y);
                            default -> bool(x < y);
                        };
                    };
                }
            }
            return a;
        }

        Node additive() {
            Node left = multiplicative();
            while (true) {
                Node a = left;
                if (symbol("+")) {
                    Node b = multiplicative();
                    left = v -> a.eval(v) + b.eval(v);
                } else if (symbol("-")) {
                    Node b = multiplicative();
                    left = v -> a.eval(v) - b.eval(v);
                } else {
                    return left;
                }
            }
        }

        Node multiplicative() {
            Node left = unary();
            while (true) {
                Node a = left;
                if (symbol("*")) {
                    Node b = unary();
                    left = v -> a.eval(v) * b.eval(v);
                } else if (symbol("/")) {
                    Node b = unary();
                    // x/0 is unknown, not infinity: a rule must not fire on an idle counter
                    left = v -> {
                        double d = b.eval(v);
                        return d == 0 ? Double.NaN : a.eval(v) / d;
                    };
                } else {
                    return left;
                }
            }
        }

        Node unary() {
            if (symbol("-")) {
                Node a = unary();
                return v -> -a.eval(v);
            }
            return primary();
        }

        Node primary() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("expression ends too early");
            }
            char c = s.charAt(pos);
            if (c == '(') {
                pos++;
                Node n = or();
                if (!symbol(")")) {
                    throw error("expected ')'");
                }
                return n;
            }
            if (Character.isDigit(c) || c == '.') {
                int start = pos;
                while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.' || s.charAt(pos) == 'e'
                        || s.charAt(pos) == 'E' || ((s.charAt(pos) == '-' || s.charAt(pos) == '+')
                        && (s.charAt(pos - 1) == 'e' || s.charAt(pos - 1) == 'E')))) {
                    pos++;
                }
                double value;
                try {
                    value = Double.parseDouble(s.substring(start, pos));
                } catch (NumberFormatException e) {
                    pos = start;
                    throw error("bad number");
                }
                return v -> value;
            }
            if (!identStart(c)) {
                throw error("expected a number, a metric reference or a function, got '" + c + "'");
            }
            int start = pos;
            while (pos < s.length() && (identChar(s.charAt(pos)) || s.charAt(pos) == '.')) {
                pos++;
            }
            String name = s.substring(start, pos);
            if (symbol("(")) {
                return call(name.toLowerCase(java.util.Locale.ROOT), start);
            }
            if (name.equalsIgnoreCase("true")) {
                return v -> 1;
            }
            if (name.equalsIgnoreCase("false")) {
                return v -> 0;
            }
            return reference(name, start);
        }

        private String checkRef(String name, int start) {
            int dot = name.indexOf('.');
            if (dot <= 0 || dot == name.length() - 1 || name.indexOf('.', dot + 1) >= 0) {
                pos = start;
                throw error("'" + name + "' is not a metric reference (measurement.field)");
            }
            String ref = name.toLowerCase(java.util.Locale.ROOT);
            refs.add(ref);
            return ref;
        }

        private Node reference(String name, int start) {
            String ref = checkRef(name, start);
            String m = ref.substring(0, ref.indexOf('.'));
            String f = ref.substring(ref.indexOf('.') + 1);
            return v -> v.value(m, f);
        }

        private Node call(String fn, int start) {
            List<Node> args = new ArrayList<>();
            String refArg = null;
            if (CHANGE_FUNCTIONS.contains(fn) || fn.equals("present")) {
                skipSpace();
                int argStart = pos;
                while (pos < s.length() && (identChar(s.charAt(pos)) || s.charAt(pos) == '.')) {
                    pos++;
                }
                refArg = checkRef(s.substring(argStart, pos), argStart);
            } else if (!peek(')')) {
                do {
                    args.add(or());
                } while (symbol(","));
            }
            if (!symbol(")")) {
                throw error("expected ')' after the arguments of " + fn);
            }
            String m = refArg == null ? null : refArg.substring(0, refArg.indexOf('.'));
            String f = refArg == null ? null : refArg.substring(refArg.indexOf('.') + 1);
            switch (fn) {
                case "rate", "deriv", "delta":
                    return v -> v.change(fn, m, f);
                case "present":
                    return v -> bool(!Double.isNaN(v.value(m, f)));
                case "abs":
                    arity(fn, args, 1, start);
                    return v -> Math.abs(args.get(0).eval(v));
                case "min", "max":
                    if (args.size() < 2) {
                        pos = start;
                        throw error(fn + " takes two or more arguments");
                    }
                    boolean max = fn.equals("max");
                    return v -> {
                        double r = Double.NaN;
                        for (Node a : args) {
                            double x = a.eval(v);
                            if (Double.isNaN(x)) {
                                return Double.NaN;
                            }
                            r = Double.isNaN(r) ? x : max ? Math.max(r, x) : Math.min(r, x);
                        }
                        return r;
                    };
                default:
                    pos = start;
                    throw error("unknown function " + fn + " (known: rate, deriv, delta, present, abs, min, max)");
            }
        }

        private void arity(String fn, List<Node> args, int n, int start) {
            if (args.size() != n) {
                pos = start;
                throw error(fn + " takes " + n + " argument" + (n == 1 ? "" : "s"));
            }
        }

        private static boolean identStart(char c) {
            return Character.isLetter(c) || c == '_';
        }

        private static boolean identChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }
    }
}
