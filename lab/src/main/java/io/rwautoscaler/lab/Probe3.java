package io.rwautoscaler.lab;
import java.nio.file.Path;
import java.util.Optional;
final class Probe3 {
    public static void main(String[] args) {
        Scenario s = ScenarioReader.read(Path.of(args[0]));
        for (Recommender.Setting c : Recommender.settings(s)) {
            if (c.samplesInRule().isEmpty() && args.length < 2) continue;
            Simulation.Run run = LabRunner.run(s, new Simulation.Settings(Strategy.RECOMMENDED, Optional.of(c.hpa()), false, false, false, c.samplesInRule()));
            Outcome o = Outcome.of(run);
            System.out.println(Recommender.describe(c.hpa()) + c.samplesInRule() + " -> abs=" + o.absorbedSeconds() + " lost=" + o.samplesLost() + " ch=" + o.replicaChangesUp() + "/" + o.replicaChangesDown() + " util=" + o.utilizationAfter() + " " + o.phases());
            if (args.length > 2) for (Simulation.Event e : run.events()) System.out.println("   " + (int) e.t() + " " + e.what());
        }
    }
}
