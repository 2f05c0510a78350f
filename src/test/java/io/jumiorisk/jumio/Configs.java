package io.jumiorisk.jumio;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;

import io.jumiorisk.testing.StubJumioConfig;

/** The unit tests' {@link JumioConfig} with some settings replaced, by method name. */
final class Configs {
    private Configs() {
    }

    static JumioConfig with(Map<String, Object> settings) {
        JumioConfig stub = StubJumioConfig.defaults();
        return (JumioConfig) Proxy.newProxyInstance(JumioConfig.class.getClassLoader(),
                new Class<?>[]{JumioConfig.class}, (proxy, method, args) -> {
                    if (settings.containsKey(method.getName())) {
                        return settings.get(method.getName());
                    }
                    try {
                        return method.invoke(stub, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
