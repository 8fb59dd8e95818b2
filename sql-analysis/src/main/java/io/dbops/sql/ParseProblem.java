package io.dbops.sql;

/** Something in a slow log that could not be read as an entry, with where it is. */
public record ParseProblem(long offset, long line, String reason) {
    @Override
    public String toString() {
        return "line " + line + " (byte " + offset + "): " + reason;
    }
}
