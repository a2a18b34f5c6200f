package io.rwautoscaler.runtime;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The entry point. Quarkus' HTTP root handler answers a request target that {@link java.net.URI} refuses (bad
 * percent-encoding, a space) with a bare 400 before any route, unless {@code vertx.disableURIValidation} is set:
 * set it here, so the application's request gate makes the same check and answers a meta/v1 Status instead.
 * Tests set the property in the build (surefire), since they do not start through this class.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
