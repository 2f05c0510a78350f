package io.jumiorisk.jumio;

/**
 * Where the pace of account requests is kept, shared by every container of the function: Jumio limits the tenant,
 * not a container, so a limit kept in memory would let each container spend the whole of it.
 */
public interface AccountSlots {

    /**
     * Reserves the next slot by {@code rule}, unless it would begin after {@code latestMicros}; then reserves nothing.
     *
     * @param nowMicros the caller's clock, in microseconds since the epoch
     * @throws RuntimeException when the shared state cannot be read or written; the caller decides what then
     */
    Reservation reserve(PaceRule rule, long nowMicros, long latestMicros);

    /**
     * @param reserved whether the slot is now the caller's
     * @param slotMicros when the slot begins; when not reserved, when it would have begun
     */
    record Reservation(boolean reserved, long slotMicros) {
    }
}
