package io.tqserver.watch;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Groups changes by key and hands each group on once no change for that key has arrived for the
 * quiet period: a burst of saves, a {@code git checkout} or an editor's write-and-rename becomes
 * one callback. Keys are independent, so a burst on one key never delays another.
 *
 * @param <K> what changes are grouped by, such as a worker name
 * @param <V> one change, such as a path
 */
public final class ChangeDebouncer<K, V> {

    private final Supplier<Duration> quietPeriod;
    private final ScheduledExecutorService timer;
    private final BiConsumer<K, Set<V>> onBurst;
    private final Map<K, Pending<V>> pending = new HashMap<>();

    /**
     * Creates a debouncer.
     *
     * @param quietPeriod time without a change after which a group is handed on
     * @param timer runs the callback; one thread keeps the callbacks of one key in order
     * @param onBurst receives the key and the changes of the burst, in arrival order
     */
    public ChangeDebouncer(
            Duration quietPeriod, ScheduledExecutorService timer, BiConsumer<K, Set<V>> onBurst) {
        this(constant(Objects.requireNonNull(quietPeriod, "quietPeriod")), timer, onBurst);
    }

    /**
     * Creates a debouncer whose quiet period is read at each change, so a reloaded setting
     * applies from the next change on.
     *
     * @param quietPeriod returns the time without a change after which a group is handed on
     * @param timer runs the callback; one thread keeps the callbacks of one key in order
     * @param onBurst receives the key and the changes of the burst, in arrival order
     */
    public ChangeDebouncer(Supplier<Duration> quietPeriod, ScheduledExecutorService timer,
            BiConsumer<K, Set<V>> onBurst) {
        this.quietPeriod = Objects.requireNonNull(quietPeriod, "quietPeriod");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.onBurst = Objects.requireNonNull(onBurst, "onBurst");
    }

    /** Adds a change to the group of {@code key} and restarts that group's quiet period. */
    public synchronized void add(K key, V change) {
        Pending<V> group = pending.computeIfAbsent(key, unused -> new Pending<>());
        group.changes.add(change);
        if (group.flush != null) {
            group.flush.cancel(false);
        }
        group.flush = timer.schedule(() -> flush(key, group),
                quietPeriod.get().toNanos(), TimeUnit.NANOSECONDS);
    }

    private static Supplier<Duration> constant(Duration quietPeriod) {
        return () -> quietPeriod;
    }

    private void flush(K key, Pending<V> group) {
        Set<V> changes;
        synchronized (this) {
            if (pending.get(key) != group) {
                return;
            }
            pending.remove(key);
            changes = group.changes;
        }
        onBurst.accept(key, changes);
    }

    private static final class Pending<V> {
        final Set<V> changes = new LinkedHashSet<>();
        ScheduledFuture<?> flush;
    }
}
