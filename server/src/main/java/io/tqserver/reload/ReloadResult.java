package io.tqserver.reload;

import io.tqserver.supervisor.SwapResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Outcome of one reload.
 *
 * @param errors why a file was rejected, one message per file; empty when every file was valid
 * @param swaps the swap of each worker that was swapped, by worker name; completed once the
 *     result is returned by {@link ConfigReloader#reload}
 */
public record ReloadResult(List<String> errors, Map<String, CompletableFuture<SwapResult>> swaps) {

    public ReloadResult {
        errors = List.copyOf(errors);
        swaps = Map.copyOf(swaps);
    }

    static ReloadResult rejected(String error) {
        return new ReloadResult(List.of(error), Map.of());
    }

    /** Returns whether every file was valid. */
    public boolean accepted() {
        return errors.isEmpty();
    }

    CompletableFuture<ReloadResult> awaitSwaps() {
        return CompletableFuture.allOf(swaps.values().toArray(CompletableFuture[]::new))
                .handle((ignored, error) -> this);
    }
}
