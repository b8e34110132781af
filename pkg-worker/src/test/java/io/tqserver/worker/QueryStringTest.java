package io.tqserver.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void decodesPercentEscapesAndPlus() {
        QueryString query = QueryString.parse("name=Ada%20Lovelace&city=S%C3%A3o+Paulo");

        assertThat(query.values("name")).containsExactly("Ada Lovelace");
        assertThat(query.values("city")).containsExactly("São Paulo");
    }

    @Test
    void keepsRepeatedValuesInOrder() {
        QueryString query = QueryString.parse("tag=a&other=x&tag=b&tag=c");

        assertThat(query.values("tag")).containsExactly("a", "b", "c");
        assertThat(query.all().keySet()).containsExactly("tag", "other");
    }

    @Test
    void parameterWithoutEqualsHasEmptyValue() {
        QueryString query = QueryString.parse("flag&empty=&&x=1");

        assertThat(query.values("flag")).containsExactly("");
        assertThat(query.values("empty")).containsExactly("");
        assertThat(query.values("x")).containsExactly("1");
    }

    @Test
    void decodesEscapedNames() {
        assertThat(QueryString.parse("a%26b=1").values("a&b")).containsExactly("1");
    }

    @Test
    void absentQueryHasNoParameters() {
        assertThat(QueryString.parse(null).all()).isEmpty();
        assertThat(QueryString.parse("").values("x")).isEqualTo(List.of());
    }

    @Test
    void malformedEscapeIsBadRequest() {
        assertThatThrownBy(() -> QueryString.parse("name=%zz"))
                .isInstanceOfSatisfying(HttpStatusException.class,
                        e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("invalid query string");
    }
}
