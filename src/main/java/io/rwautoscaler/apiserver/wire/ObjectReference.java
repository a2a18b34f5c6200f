package io.rwautoscaler.apiserver.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/** core/v1 ObjectReference as the metrics APIs write it (every field omitempty). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectReference(String kind, String namespace, String name, String apiVersion) {
}
