package io.rwautoscaler.core.sizing;

/**
 * Quantiles by linear interpolation between the two closest ranks, the method of Prometheus's
 * {@code quantile_over_time}: rank = q × (n − 1), value = v[⌊rank⌋] × (1 − w) + v[⌊rank⌋ + 1] × w
 * with w = rank − ⌊rank⌋. Chosen so a number here matches what an operator gets from the same PromQL.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * The q-quantile of {@code values[0..length)}, which this call reorders (pass a scratch copy).
     * Uses selection, not a full sort: the sizing loop runs it for thousands of series per evaluation.
     *
     * @return NaN for no values
     * @throws IllegalArgumentException for q outside [0, 1] (Prometheus answers ±Inf there; a policy never wants that)
     */
    public static double linear(double[] values, int length, double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be within [0, 1], got " + q);
        }
        if (length == 0) {
            return Double.NaN;
        }
        double rank = q * (length - 1);
        int lower = (int) Math.floor(rank);
        double weight = rank - lower;
        double lowerValue = select(values, length, lower);
        if (weight == 0 || lower + 1 >= length) {
            return lowerValue;
        }
        // After selecting rank `lower`, everything right of it is ≥ it, so the next rank is that part's minimum.
        double upperValue = values[lower + 1];
        for (int i = lower + 2; i < length; i++) {
            upperValue = Math.min(upperValue, values[i]);
        }
        return lowerValue * (1 - weight) + upperValue * weight;
    }

    /** Reorders {@code a[0..length)} so that a[k] holds the k-th smallest, smaller ones left, larger right (Hoare). */
    static double select(double[] a, int length, int k) {
        int left = 0;
        int right = length - 1;
        while (right > left) {
            int mid = (left + right) >>> 1;
            // Median of three keeps sorted or constant input (common in usage data) from going quadratic.
            if (a[mid] < a[left]) swap(a, mid, left);
            if (a[right] < a[left]) swap(a, right, left);
            if (a[right] < a[mid]) swap(a, right, mid);
            double pivot = a[mid];
            int i = left;
            int j = right;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
