package io.jumiorisk.jumio;

import java.time.Duration;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.jumiorisk.Deadline;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps account requests (POST and PUT /api/v1/accounts) at the tenant's limit across all containers, instead of
 * sending them and being refused: without it, concurrent starts from several containers drew about three 429s per
 * check from Jumio, each a wasted request and a pause. Before every account request, the first and each retry, a slot
 * is reserved in the shared {@link AccountSlots}; the caller waits for it when it begins inside the invocation's time,
 * and otherwise sends nothing and gives up with the time until the slot as Retry-After, which becomes the 503 that the
 * client may retry after. A pace that cannot be reached (DynamoDB throttled or failing) lets the request go unpaced:
 * Jumio's own 429 and our retries still protect the tenant, and a check is never refused for the pacing's sake.
 */
@ApplicationScoped
public class AccountPacer {
    private static final Logger LOG = Logger.getLogger(AccountPacer.class);
    /**
     * What a start needs after its slot: the account request, the upload and the finalize, usually well under a
     * second each. A slot later than that in the invocation would only start a workflow that this invocation cannot
     * finish; the client's retry, after the Retry-After, does better.
     */
    static final Duration AFTER_SLOT = Duration.ofSeconds(3);

    private final AccountSlots slots;
    private final PaceRule rule;
    private final LongSupplier clockMicros;
    private final Sleeper sleeper;

    /** Waits; a seam for the unit tests, which move a clock instead. */
    interface Sleeper {
        void sleepMicros(long micros) throws InterruptedException;
    }

    @Inject
    AccountPacer(AccountSlots slots, JumioConfig config) {
        this(slots, new PaceRule(config.accountRatePerSecond(), config.accountBurst()),
                () -> System.currentTimeMillis() * 1_000,
                micros -> Thread.sleep(micros / 1_000, (int) (micros % 1_000) * 1_000));
    }

    AccountPacer(AccountSlots slots, PaceRule rule, LongSupplier clockMicros, Sleeper sleeper) {
        this.slots = slots;
        this.rule = rule;
        this.clockMicros = clockMicros;
        this.sleeper = sleeper;
    }

    /** Makes the bean, and so checks the settings, when the function starts instead of at the first account request. */
    void verify(@Observes StartupEvent event) {
        LOG.debugf("account requests paced at %s/s, burst %d", rule.ratePerSecond(), rule.burst());
    }

    /**
     * Returns when this caller may send one account request.
     *
     * @throws JumioCallFailure.GiveUp when the next slot begins too late for this invocation; nothing was reserved
     *     and nothing sent, and its Retry-After is the time until that slot
     */
    public void awaitSlot(String operation, Deadline deadline) {
        if (!rule.paced()) {
            return;
        }
        long now = clockMicros.getAsLong();
        long callsEnd = (deadline.epochMillis() - deadline.reserveMillis() - AFTER_SLOT.toMillis()) * 1_000;
        AccountSlots.Reservation slot;
        try {
            slot = slots.reserve(rule, now, callsEnd);
        } catch (RuntimeException e) {
            LOG.warnf("%s goes unpaced: the account request pace could not be reached (%s)", operation,
                    e.getClass().getName());
            return;
        }
        long wait = Math.max(0, slot.slotMicros() - now);
        if (!slot.reserved()) {
            LOG.infof("%s not sent: the next free slot is in %d ms, beyond this invocation", operation, wait / 1_000);
            throw new JumioCallFailure.GiveUp(operation, 0, JumioCallFailure.RATE_USED_UP, (wait + 999) / 1_000, false,
                    "the tenant's account request rate is used up for longer than this invocation has left");
        }
        if (wait > 0) {
            LOG.debugf("%s waits %d ms for its slot", operation, wait / 1_000);
            try {
                sleeper.sleepMicros(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JumioCallFailure.GiveUp(operation, 0, JumioCallFailure.NOT_SENT, null, false,
                        "interrupted while waiting for a slot");
            }
        }
    }
}
