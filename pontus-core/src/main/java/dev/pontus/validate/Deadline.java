package dev.pontus.validate;

import dev.pontus.StorageException;
import java.time.Duration;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/** When a whole validation must end, and the timeout of each S3 call within it. */
record Deadline(long endNanos, Duration callTimeout) {
    static Deadline after(Duration operation, Duration call) {
        return new Deadline(System.nanoTime() + operation.toNanos(), call);
    }

    /** The next call's settings: its own timeout, cut to what is left of the operation's. */
    AwsRequestOverrideConfiguration next() {
        Duration timeout = Duration.ofNanos(Math.min(left(), callTimeout.toNanos()));
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build();
    }

    /** For a call that may take all the time left, such as reading a whole file. */
    AwsRequestOverrideConfiguration rest() {
        return AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofNanos(left()))
                .build();
    }

    /** Nanoseconds left; none left is a storage failure, since only a slow store spends them. */
    long left() {
        long left = endNanos - System.nanoTime();
        if (left <= 0) {
            throw StorageException.timedOut("The validation ran out of time: S3 is too slow; try again.", null);
        }
        return left;
    }
}
