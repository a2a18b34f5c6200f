package io.rwautoscaler.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code lab/run.sh [--out DIR] [--series] [scenario.yaml ...]}: runs each scenario under its strategies, prints a table
 * per scenario and writes {@code <scenario>.json}, {@code <scenario>.md} and the charts into DIR (default lab/results);
 * with {@code --series} also {@code <scenario>-<strategy>.csv}, the time series every 10 s (for calibration).
 */
public final class Lab {

    private Lab() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of("lab/results");
        List<Path> files = new ArrayList<>();
        boolean series = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--series")) {
                series = true;
            } else if (args[i].equals("--out")) {
                if (i + 1 >= args.length) {
                    fail("--out needs a directory");
                }
                out = Path.of(args[++i]);
            } else if (args[i].startsWith("-")) {
                fail("unknown option " + args[i] + "; usage: lab/run.sh [--out DIR] [--series] [scenario.yaml ...]");
            } else {
                files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            try (Stream<Path> s = Files.list(Path.of("lab/scenarios"))) {
                files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            }
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (Path f : files) {
            try {
                scenarios.add(ScenarioReader.read(f));
            } catch (ScenarioException e) {
                fail(e.getMessage());
            }
        }
        long start = System.nanoTime();
        for (Scenario s : scenarios) {
            Report.ScenarioResult r = run(s);
            Report.write(out, r);
            if (series) {
                Report.writeSeries(out, r);
            }
            System.out.println("== " + s.name() + " (" + out.resolve(s.name() + ".md") + ")");
            System.out.println(Report.consoleTable(r));
        }
        System.out.printf("%d scenario(s) in %.1f s%n", scenarios.size(), (System.nanoTime() - start) / 1e9);
    }

    public static Report.ScenarioResult run(Scenario s) {
        Map<String, Simulation.Run> runs = new LinkedHashMap<>();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        Recommender.Candidate recommended = null;
        List<Strategy> fixed = s.strategies().stream().filter(st -> st != Strategy.RECOMMENDED).toList();
        List<Simulation.Run> done = fixed.parallelStream().map(st -> LabRunner.run(s, LabRunner.settings(s, st))).toList();
        for (int i = 0; i < fixed.size(); i++) {
            runs.put(fixed.get(i).label(), done.get(i));
            outcomes.put(fixed.get(i).label(), Outcome.of(done.get(i)));
        }
        if (s.strategies().contains(Strategy.RECOMMENDED)) {
            recommended = Recommender.recommend(s);
            runs.put(Strategy.RECOMMENDED.label(), recommended.run());
            outcomes.put(Strategy.RECOMMENDED.label(), recommended.outcome());
        }
        return new Report.ScenarioResult(s, runs, outcomes, recommended);
    }

    private static void fail(String message) {
        System.err.println("lab: " + message);
        System.exit(2);
    }
}
