package io.tqserver.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ChangeDebouncerTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> bursts = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void groupsChangesOfOneKeyIntoOneBurst() throws InterruptedException {
        ChangeDebouncer<String, Integer> debouncer = new ChangeDebouncer<>(
                Duration.ofMillis(100), timer, (key, changes) -> bursts.add(key + changes));
        debouncer.add("a", 1);
        debouncer.add("a", 2);
        debouncer.add("a", 1);

        awaitBursts(1);
        assertThat(bursts).containsExactly("a[1, 2]");
    }

    @Test
    void keysFlushIndependently() throws InterruptedException {
        ChangeDebouncer<String, Integer> debouncer = new ChangeDebouncer<>(
                Duration.ofMillis(20), timer, (key, changes) -> bursts.add(key + changes));
        debouncer.add("a", 1);
        debouncer.add("ab", 2);

        awaitBursts(2);
        assertThat(bursts).containsExactlyInAnyOrder("a[1]", "ab[2]");
    }

    @Test
    void changeAfterBurstStartsNewBurst() throws InterruptedException {
        ChangeDebouncer<String, Integer> debouncer = new ChangeDebouncer<>(
                Duration.ofMillis(20), timer, (key, changes) -> bursts.add(key + changes));
        debouncer.add("a", 1);
        awaitBursts(1);
        debouncer.add("a", 2);

        awaitBursts(2);
        assertThat(bursts).containsExactly("a[1]", "a[2]");
        assertThat(Set.copyOf(bursts)).hasSize(2);
    }

    private void awaitBursts(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (bursts.size() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        assertThat(bursts).hasSizeGreaterThanOrEqualTo(count);
    }
}
