package io.dbops.events;

/**
 * Sees a metric sample's fields as {@link EventCodec#readMetricSample} reads them, before any
 * number is converted: a consumer that needs only some fields as numbers (the rule engine) and the
 * rest as text (the time-series store's line) reads the document once and converts only what it
 * keeps. A visitor may be called for a document that turns out not to be plainly valid (the read
 * then returns null); whatever it gathered must be discarded then.
 */
public interface MetricFieldVisitor {
    /**
     * The {@code fields} object begins. {@code measurement} is the sample's, or null when the
     * document names it only after its fields; return false to stop (the read returns null).
     */
    boolean begin(String measurement);

    /**
     * A field with a number, whose JSON text is {@code text[offset, offset + length)}. Return true
     * to have it in the sample's fields (it is then converted), false to leave it out.
     */
    boolean number(String name, char[] text, int offset, int length);

    /** A field whose value is NULL. Return true to have it in the sample's fields (as null). */
    boolean nullValue(String name);
}
