package io.tqserver.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known key that a misspelt configuration key was most likely meant to be. */
final class KeySuggestions {

    /** Maximum edit distance at which a known key is still offered as a suggestion. */
    static final int MAX_DISTANCE = 2;

    private KeySuggestions() {
    }

    /**
     * Returns the candidate closest to {@code key}, ignoring case, if it is at most
     * {@link #MAX_DISTANCE} edits away. Ties go to the earlier candidate.
     */
    static Optional<String> closest(String key, Collection<String> candidates) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : candidates) {
            int distance = distance(key.toLowerCase(Locale.ROOT),
                    candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Returns the optimal string alignment distance: the Damerau-Levenshtein distance in which
     * no substring is edited twice. Insertions, deletions, substitutions and swaps of two
     * adjacent characters each count as one edit.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                        d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
