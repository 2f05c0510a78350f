package io.jumiorisk.lambda;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A runtime hook of Lambda SnapStart (the CRaC API, which Lambda's Java runtime implements). Outside a SnapStart
 * runtime the global context does nothing, so registering is harmless anywhere.
 */
final class SnapStartHook implements Resource {
    private final Runnable afterRestore;

    private SnapStartHook(Runnable afterRestore) {
        this.afterRestore = afterRestore;
    }

    /** Registers {@code afterRestore}; the caller keeps the returned hook, which the runtime holds only weakly. */
    static Object register(Runnable afterRestore) {
        SnapStartHook hook = new SnapStartHook(afterRestore);
        Core.getGlobalContext().register(hook);
        return hook;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // Nothing to close: the SDK's and Jumio's pooled connections are dropped as stale after a restore.
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        afterRestore.run();
    }
}
