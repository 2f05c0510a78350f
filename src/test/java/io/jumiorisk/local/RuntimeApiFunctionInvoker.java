package io.jumiorisk.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A {@link FunctionInvoker} that hands each event to the {@link LambdaRuntimeApi} emulator of the named function. */
public final class RuntimeApiFunctionInvoker implements FunctionInvoker {

    private final Map<String, LambdaRuntimeApi> functions;

    public RuntimeApiFunctionInvoker(Map<String, LambdaRuntimeApi> functions) {
        this.functions = Map.copyOf(new LinkedHashMap<>(functions));
    }

    public Set<String> functionNames() {
        return functions.keySet();
    }

    @Override
    public InvocationResult invoke(String functionName, String eventJson) {
        LambdaRuntimeApi api = functions.get(functionName);
        if (api == null) {
            // What the Invoke API answers for an unknown function (an API error, not a function error).
            return InvocationResult.error("ResourceNotFoundException",
                    "{\"errorMessage\":\"Function not found: " + functionName.replace("\"", "")
                            + "\",\"errorType\":\"ResourceNotFoundException\"}");
        }
        return api.invoke(eventJson, api.timeout());
    }
}
