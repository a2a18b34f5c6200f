package io.rwautoscaler.apiserver.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/** meta/v1 Status: how every error leaves this server. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Status(String kind, String apiVersion, Map<String, Object> metadata, String status, String message,
                     String reason, Details details, int code) {

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Details(String name, String group, String kind) {
    }

    public static Status failure(int code, String reason, String message, Details details) {
        return new Status("Status", "v1", Map.of(), "Failure", message, reason, details, code);
    }
}
