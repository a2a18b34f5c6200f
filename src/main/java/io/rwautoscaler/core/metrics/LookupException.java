package io.rwautoscaler.core.metrics;

/** Why a metrics request cannot be answered; the API edge maps {@link Kind} to an HTTP status once. */
public final class LookupException extends RuntimeException {

    public enum Kind { NOT_FOUND, BAD_REQUEST, UNAVAILABLE }

    private final Kind kind;

    public LookupException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static LookupException notFound(String message) {
        return new LookupException(Kind.NOT_FOUND, message);
    }

    public static LookupException badRequest(String message) {
        return new LookupException(Kind.BAD_REQUEST, message);
    }

    public static LookupException unavailable(String message) {
        return new LookupException(Kind.UNAVAILABLE, message);
    }
}
