package io.dbops.stack;

/** Whether a component does its job right now (not merely whether its process exists), and what was seen. */
public record Health(boolean ok, String detail) {
    public static Health ok(String detail) {
        return new Health(true, detail);
    }

    public static Health bad(String detail) {
        return new Health(false, detail);
    }
}
