package io.rwautoscaler.core.receivers;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A hashring to write and the tenants routed to it. No tenants makes it the catch-all: Thanos sends every
 * tenant that no earlier hashring lists to the first hashring without tenants.
 */
public record TenantHashring(String name, List<String> tenants) {

    public static final TenantHashring DEFAULT = new TenantHashring("default", List.of());

    public TenantHashring {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("hashring name is blank");
        }
        tenants = List.copyOf(tenants == null ? List.of() : tenants);
        if (new HashSet<>(tenants).size() != tenants.size()) {
            throw new IllegalArgumentException("hashring " + name + " lists a tenant twice: " + tenants);
        }
    }

    public boolean catchAll() {
        return tenants.isEmpty();
    }
}
