package io.tqserver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySuggestionsTest {

    @ParameterizedTest
    @CsvSource({
        "port, port, 0",
        "prot, port, 1",
        "por, port, 1",
        "ports, port, 1",
        "pert, port, 1",
        "oprt, port, 1",
        "ca, abc, 3",
        "'', abc, 3",
        "debounce, debounce_ms, 3",
    })
    void countsEditsWithAdjacentSwapAsOne(String a, String b, int distance) {
        assertThat(KeySuggestions.distance(a, b)).isEqualTo(distance);
        assertThat(KeySuggestions.distance(b, a)).isEqualTo(distance);
    }

    @Test
    void suggestsClosestKey() {
        List<String> keys = List.of("read_timeout_seconds", "write_timeout_seconds");

        assertThat(KeySuggestions.closest("rite_timeout_seconds", keys))
                .contains("write_timeout_seconds");
    }

    @Test
    void ignoresCase() {
        assertThat(KeySuggestions.closest("PORT", List.of("port"))).contains("port");
    }

    @Test
    void prefersEarlierKeyOnTie() {
        assertThat(KeySuggestions.closest("ab", List.of("ac", "ad"))).contains("ac");
    }

    @Test
    void suggestsNothingBeyondTwoEdits() {
        assertThat(KeySuggestions.closest("prt_rng", List.of("port_range_end"))).isEmpty();
    }
}
