package io.rwautoscaler.lab;

/** A scenario file that cannot be run, with the file and the key at fault in the message. */
public class ScenarioException extends RuntimeException {
    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
