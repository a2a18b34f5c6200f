package io.rwautoscaler.receivers;

import java.time.Instant;

/** Compares the hashring ConfigMap with the receivers' ready pods and writes it when needed and allowed. */
@FunctionalInterface
public interface HashringKeeper {

    /** Never throws: failures are part of the returned status. */
    HashringStatus sync(Instant now, boolean leader);
}
