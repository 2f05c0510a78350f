package io.jumiorisk.check;

/**
 * Where Jumio is to send a check's callback. The callback side, which must recognise what it handed out, implements
 * it, so that starting a check needs no knowledge of how callbacks are authenticated.
 */
public interface CallbackAddress {
    /** @return the {@code callbackUrl} for the check's account request, or null when none is configured */
    String callbackUrl(String checkId);
}
