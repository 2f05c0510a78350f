package io.jumiorisk.store;

import static io.jumiorisk.store.Attr.n;
import static io.jumiorisk.store.Attr.num;
import static io.jumiorisk.store.Attr.s;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.jumiorisk.jumio.AccountSlots;
import io.jumiorisk.jumio.PaceRule;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The account request pace, as one item of the checks table ({@code PACE#accounts}) that holds the GCRA's theoretical
 * arrival time ({@link PaceRule}) and nothing about any check or person. A slot costs one conditional UpdateItem in
 * the common case, without a read first, because the TAT moves by one of two writes that need not know its value:
 * <ul>
 * <li>busy (TAT not in the past): {@code tat = tat + interval}, on condition that the slot it gives (TAT minus the
 * tolerance) begins in time for the caller; DynamoDB applies concurrent increments one after the other, so callers in
 * many containers line up without a lost update.</li>
 * <li>idle (TAT in the past, or no item): {@code tat = now + interval}, on condition that it still is in the past;
 * of two callers racing there, one wins and the other finds the TAT ahead and queues behind it (busy).</li>
 * </ul>
 * Which of the two applies is guessed from the TAT this container saw last; a wrong guess fails its condition, and the
 * refusal carries the item as it is (ALL_OLD), which decides the second try. A slot too late for the caller is refused
 * by the busy write's condition, so nothing is reserved for a caller that will not use it. The TAT never moves back,
 * so a few tries always settle it.
 */
@ApplicationScoped
class PaceStore implements AccountSlots {
    static final String ACCOUNTS = "PACE#accounts";
    private static final String TAT = "tat";
    /** The item is worth nothing once its TAT is past; TTL removes it after a quiet day, like any other item. */
    private static final Duration KEEP = Duration.ofDays(1);
    private static final int ATTEMPTS = 3;

    private final Table table;
    /** The TAT as this container saw it last: only a guess at which write to try first. */
    private volatile long lastTat;

    PaceStore(Table table) {
        this.table = table;
    }

    @Override
    public Reservation reserve(PaceRule rule, long nowMicros, long latestMicros) {
        boolean busy = lastTat >= nowMicros;
        Map<String, String> names = Map.of("#tat", TAT);
        long expires = nowMicros / 1_000_000 + KEEP.toSeconds();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            UpdateItemRequest.Builder write = UpdateItemRequest.builder().key(Map.of("pk", s(ACCOUNTS)))
                    .expressionAttributeNames(names);
            if (busy) {
                write.updateExpression("SET #tat = #tat + :interval, expiresAt = :expires")
                        .conditionExpression("#tat >= :now AND #tat <= :latest")
                        .expressionAttributeValues(Map.of(":interval", n(rule.intervalMicros()),
                                ":expires", n(expires), ":now", n(nowMicros),
                                ":latest", n(latestMicros + rule.toleranceMicros())));
            } else {
                write.updateExpression("SET #tat = :next, expiresAt = :expires")
                        .conditionExpression("attribute_not_exists(#tat) OR #tat < :now")
                        .expressionAttributeValues(Map.of(":next", n(rule.nextTat(null, nowMicros)),
                                ":expires", n(expires), ":now", n(nowMicros)));
            }
            Table.Updated updated = table.update(write);
            Long tat = num(updated.item(), TAT);
            if (tat != null) {
                lastTat = tat;
            }
            if (updated.applied()) {
                // The slot is the one the TAT before this write gave: one interval back.
                return new Reservation(true, busy ? rule.slot(tat - rule.intervalMicros(), nowMicros) : nowMicros);
            }
            long slot = rule.slot(tat, nowMicros);
            if (tat != null && tat >= nowMicros && slot > latestMicros) {
                return new Reservation(false, slot);
            }
            busy = tat != null && tat >= nowMicros;
        }
        throw new IllegalStateException("the account request pace kept changing under " + ATTEMPTS + " tries");
    }
}
