package io.sqspii.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The in-flight accounting alone: a batch of deletes releases its room at once and wakes a receiver that fits. */
class InFlightMessagesTest {

    private static List<InFlight> admitTen(InFlightMessages inFlight, String prefix) throws InterruptedException {
        InFlightMessages.Reservation room = inFlight.reserve(10, 100, () -> true);
        List<InFlight> got = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            got.add(new InFlight(prefix + i, "receipt-" + prefix + i, 100, System.nanoTime()));
        }
        inFlight.admit(room, got);
        return got;
    }

    @Test
    void aReceiverWaitsUntilADeletedBatchLeavesRoomForAWholeReceive() throws Exception {
        InFlightMessages inFlight = new InFlightMessages(20, 1L << 20);
        List<InFlight> first = admitTen(inFlight, "a");
        List<InFlight> second = admitTen(inFlight, "b");

        CompletableFuture<InFlightMessages.Reservation> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return inFlight.reserve(10, 100, () -> true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inFlight.removeAll(first.subList(0, 5))).isEqualTo(5);
        Thread.sleep(300);
        assertThat(waiting)
                .as("room for 5 of the 10 a receive may bring is not enough")
                .isNotDone();

        assertThat(inFlight.removeAll(first.subList(0, 6)))
                .as("only the one not yet removed counts")
                .isEqualTo(1);
        assertThat(inFlight.removeAll(first.subList(6, 10))).isEqualTo(4);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(inFlight.size()).isEqualTo(10);
        assertThat(inFlight.bytes()).isEqualTo(second.size() * 100L);
    }

    @Test
    void removingAnEntryThatWasReplacedByARedeliveryReleasesNothing() throws Exception {
        InFlightMessages inFlight = new InFlightMessages(100, 1L << 20);
        List<InFlight> first = admitTen(inFlight, "m");
        InFlightMessages.Reservation again = inFlight.reserve(10, 100, () -> true);
        InFlight redelivered = new InFlight("m0", "receipt-newer", 100, System.nanoTime());
        inFlight.admit(again, List.of(redelivered));

        assertThat(inFlight.removeAll(List.of(first.get(0))))
                .as("the older receipt handle is gone")
                .isZero();
        assertThat(inFlight.size()).isEqualTo(10);
        assertThat(inFlight.removeAll(List.of(redelivered))).isEqualTo(1);
        assertThat(inFlight.bytes()).isEqualTo(900);
    }
}
