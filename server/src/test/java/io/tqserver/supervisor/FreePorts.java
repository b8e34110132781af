package io.tqserver.supervisor;

import java.util.concurrent.ThreadLocalRandom;

/** Finds ranges of loopback ports that nothing uses, for tests that need a port pool. */
final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 60_000;
    private static final int MAX_TRIES = 200;

    private FreePorts() {
    }

    /** Returns the first port of {@code count} consecutive ports that nothing uses now. */
    static int findRange(int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tried = 0; tried < MAX_TRIES; tried++) {
            int first = random.nextInt(LOWEST, HIGHEST - count);
            if (allFree(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports found in "
                + LOWEST + ".." + HIGHEST + " after " + MAX_TRIES + " tries");
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            if (PortPool.isInUse(port)) {
                return false;
            }
        }
        return true;
    }
}
