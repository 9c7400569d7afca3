package dev.pontus.validate;

import dev.pontus.PontusException;
import dev.pontus.StorageException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Concurrent validations of one key in this process share one run: the first runs, the others wait for its
 * outcome (bounded) and answer it as a repeat.
 */
final class OneRunPerKey {
    private final ConcurrentMap<String, CompletableFuture<ValidationResult>> running = new ConcurrentHashMap<>();
    private final Duration wait;

    OneRunPerKey(Duration wait) {
        this.wait = wait;
    }

    ValidationResult run(String key, String uri, Supplier<ValidationResult> validation) {
        CompletableFuture<ValidationResult> mine = new CompletableFuture<>();
        CompletableFuture<ValidationResult> other = running.putIfAbsent(key, mine);
        if (other != null) {
            return await(uri, other);
        }
        try {
            ValidationResult result = validation.get();
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    private ValidationResult await(String uri, CompletableFuture<ValidationResult> other) {
        try {
            ValidationResult result = other.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return result instanceof ValidationResult.Valid valid ? valid.asRepeat() : result;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause
                    ? cause
                    : new PontusException("Validating " + uri + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw StorageException.timedOut(
                    "Validating " + uri + " timed out: a concurrent validation of the same key is still running"
                            + " after " + wait.toSeconds() + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PontusException("Interrupted while waiting for a concurrent validation of " + uri, e);
        }
    }
}
