package io.sqspii.inspector.reveal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sqspii.inspector.model.InspectorException;
import io.sqspii.reveal.api.ErrorCode;
import io.sqspii.reveal.api.ErrorResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the inspector reads a refused reveal or erasure: by the service's code, never by its message. */
class RevealRefusalTest {

    final RevealClient client = new RevealClient("http://127.0.0.1:9", "alice", "pw".toCharArray());

    @Test
    void everyRefusalThatAGrantCuresAsksForOneWhateverItsMessage() {
        for (ErrorCode code : RevealClient.GRANT_NEEDED) {
            InspectorException e =
                    client.refused(403, ErrorResponse.of(code, "grant 7 has 1 of 6 cells left"), Optional.empty());
            assertThat(e)
                    .as(code.wire())
                    .isInstanceOf(GrantNeededException.class)
                    .hasMessage("No grant for this reveal: grant 7 has 1 of 6 cells left.");
            assertThat(((GrantNeededException) e).code()).isEqualTo(code);
        }
        assertThat(RevealClient.GRANT_NEEDED)
                .containsExactlyInAnyOrder(
                        ErrorCode.NO_GRANT,
                        ErrorCode.GRANT_PENDING,
                        ErrorCode.GRANT_REJECTED,
                        ErrorCode.GRANT_EXPIRED,
                        ErrorCode.GRANT_REVOKED,
                        ErrorCode.BUDGET_EXHAUSTED);
    }

    @Test
    void aMessageThatReadsLikeAGrantRefusalIsNotOneWithoutItsCode() {
        String text = "no active grant of alice covers user_logins.masked_ip for purpose tests with cells left";
        InspectorException purpose =
                client.refused(403, ErrorResponse.of(ErrorCode.PURPOSE_NOT_ALLOWED, text), Optional.empty());
        assertThat(purpose).isNotInstanceOf(GrantNeededException.class).hasMessage("Reveal refused: " + text);
        // an older service sends no code: its answer is read by the status alone
        assertThat(client.refused(403, new ErrorResponse(text, null), Optional.empty()))
                .isNotInstanceOf(GrantNeededException.class)
                .hasMessage("Reveal refused: " + text);
        // a newer service's code this version does not know, likewise
        assertThat(client.refused(403, new ErrorResponse("x", "grant_on_hold"), Optional.empty()))
                .isNotInstanceOf(GrantNeededException.class)
                .hasMessage("Reveal refused: x");
    }

    @Test
    void otherRefusalsAreSentencesForTheAnalyst() {
        assertThat(client.refused(
                        403,
                        ErrorResponse.of(ErrorCode.NOT_A_READER, "this login may not reveal PII"),
                        Optional.empty()))
                .hasMessage("Login alice may not reveal (the database refused: it needs the pii_reader role).");
        assertThat(client.refused(401, ErrorResponse.of(ErrorCode.NOT_AUTHENTICATED, "login failed"), Optional.empty()))
                .hasMessageStartingWith("The reveal service did not accept login alice");
        assertThat(client.refused(
                        404,
                        ErrorResponse.of(ErrorCode.NO_SUCH_ROW, "no row with key m-9 in user_logins"),
                        Optional.empty()))
                .hasMessage("Nothing to reveal: no row with key m-9 in user_logins");
        assertThat(client.refused(429, ErrorResponse.of(ErrorCode.RATE_LIMITED, "rate limit"), Optional.of("7")))
                .hasMessage("Too many reveals for now (try again in 7 s): rate limit");
        assertThat(client.refused(503, new ErrorResponse(null, null), Optional.empty()))
                .hasMessage("The reveal service cannot reach the database.");
    }

    @Test
    void anErasureByALoginThatIsNoEraserSaysWhichRoleItNeeds() {
        assertThat(client.erasureRefusal(
                        403,
                        ErrorResponse.of(ErrorCode.NOT_AN_ERASER, "only a pii_eraser login erases data subjects"),
                        Optional.empty()))
                .isEqualTo("Login alice may not erase data subjects (it needs the pii_eraser role).");
        assertThat(client.erasureRefusal(
                        400, ErrorResponse.of(ErrorCode.BAD_REQUEST, "no values to look for"), Optional.empty()))
                .isEqualTo("Erasure refused: no values to look for");
    }
}
