package io.rwautoscaler.apiserver.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Request headers for unit tests: names case-insensitive, several values per name, in order. */
final class TestHeaders implements HeaderView {

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    static TestHeaders of(String... nameValue) {
        TestHeaders h = new TestHeaders();
        for (int i = 0; i < nameValue.length; i += 2) {
            h.values.computeIfAbsent(nameValue[i], k -> new ArrayList<>()).add(nameValue[i + 1]);
        }
        return h;
    }

    @Override
    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        values.forEach((k, v) -> {
            if (k.equalsIgnoreCase(name)) {
                out.addAll(v);
            }
        });
        return out;
    }

    @Override
    public Set<String> names() {
        return new LinkedHashSet<>(values.keySet());
    }
}
