package io.rwautoscaler.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the ITs start the packaged application: by default {@code java [options] -jar quarkus-run.jar} with the JVM
 * running the tests; with {@code -Dit.launcher.java-home=JDK} through {@code native/run-jvm.sh} (the JVM image's
 * entry point) on that JDK, so that CI runs the packaged-app ITs once on JDK 25 as the image starts it.
 */
final class PackagedApp {

    private PackagedApp() {
    }

    static ProcessBuilder start(List<String> jvmOptions) {
        Path jar = Path.of(System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        String launcherJdk = System.getProperty("it.launcher.java-home", "");
        List<String> cmd = new ArrayList<>();
        if (launcherJdk.isBlank()) {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions);
            cmd.add("-jar");
            cmd.add(jar.toString());
            return new ProcessBuilder(cmd);
        }
        Path launcher = Path.of("native", "run-jvm.sh").toAbsolutePath();
        if (!Files.isRegularFile(launcher)) {
            throw new IllegalStateException("it.launcher.java-home is set but " + launcher + " does not exist");
        }
        cmd.add("bash");
        cmd.add(launcher.toString());
        cmd.addAll(jvmOptions);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", launcherJdk);
        pb.environment().put("APP_DIR", jar.getParent().toString());
        return pb;
    }
}
