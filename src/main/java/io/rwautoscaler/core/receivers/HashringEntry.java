package io.rwautoscaler.core.receivers;

import java.util.List;
import java.util.Objects;

/** One element of {@code hashrings.json}: a hashring's name, its endpoints in order, and its tenants (empty = catch-all). */
public record HashringEntry(String hashring, List<String> endpoints, List<String> tenants) {

    public HashringEntry {
        Objects.requireNonNull(hashring, "hashring");
        endpoints = List.copyOf(endpoints);
        tenants = List.copyOf(tenants == null ? List.of() : tenants);
    }
}
