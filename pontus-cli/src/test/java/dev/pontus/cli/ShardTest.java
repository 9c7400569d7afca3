package dev.pontus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardTest {

    @Test
    void sharesAreStableDisjointAndCoverEveryKey() {
        Map<Integer, Integer> sizes = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            String key = "uploads/" + i + "/photo.jpg";
            int owners = 0;
            for (int index = 0; index < 4; index++) {
                if (new Shard(index, 4).contains(key)) {
                    owners++;
                    sizes.merge(index, 1, Integer::sum);
                }
            }
            assertThat(owners).as(key).isEqualTo(1);
        }
        assertThat(sizes.values()).allSatisfy(size -> assertThat(size).isBetween(2_300, 2_700));
    }

    @Test
    void theHashIsPinnedSoThatEveryMachineAgrees() {
        // First 8 bytes of SHA-256("photos/cat.jpg"), unsigned big-endian, modulo N; computed by Python's hashlib:
        // int.from_bytes(hashlib.sha256(b"photos/cat.jpg").digest()[:8], "big") % n
        assertThat(Shard.of("photos/cat.jpg", 1)).isZero();
        assertThat(Shard.of("photos/cat.jpg", 2)).isEqualTo(1);
        assertThat(Shard.of("photos/cat.jpg", 7)).isEqualTo(3);
        assertThat(Shard.of("photos/cat.jpg", 1000)).isEqualTo(407);
    }

    @Test
    void parsesIndexOverCount() {
        assertThat(Shard.parse("2/8")).isEqualTo(new Shard(2, 8));
        assertThat(Shard.parse(" 0 / 1 ")).isEqualTo(Shard.ALL);
    }

    @Test
    void refusesWhatIsNoShare() {
        assertThatThrownBy(() -> Shard.parse("4/4")).hasMessageContaining("0 <= I < N");
        assertThatThrownBy(() -> Shard.parse("1-4")).hasMessageContaining("is not I/N");
        assertThatThrownBy(() -> Shard.parse("a/b")).hasMessageContaining("is not I/N");
        assertThatThrownBy(() -> Shard.parse("0/0")).hasMessageContaining("0 <= I < N");
    }
}
