package io.rwautoscaler.sizing;


/** The report's JSON view and CSV for tests outside this package. */
public final class RightSizingViews {

    private RightSizingViews() {
    }

    public static RightSizingView of(RightSizingRun run) {
        return RightSizingView.of(run, null);
    }

    public static String csv(RightSizingRun run) {
        return RightSizingCsv.of(of(run));
    }
}
