package io.jumiorisk.aws;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.jumiorisk.ops.XRayInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The SDK clients that have no Quarkus extension here. Built lazily on first use (a function that never completes a
 * task never pays for an SFN client) with the URL-connection HTTP client, which starts fastest on Lambda. Region,
 * credentials and {@code AWS_ENDPOINT_URL_SFN} / {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} / {@code AWS_ENDPOINT_URL}
 * come from the SDK's own default chains. Each request is an X-Ray subsegment in a traced invocation
 * ({@link XRayInterceptor}; the DynamoDB client gets it from {@code quarkus.dynamodb.interceptors}).
 */
@ApplicationScoped
public class AwsClients {

    @Produces
    @ApplicationScoped
    SfnClient sfn() {
        return SfnClient.builder().httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new XRayInterceptor())).build();
    }

    @Produces
    @ApplicationScoped
    SecretsManagerClient secretsManager() {
        return SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new XRayInterceptor())).build();
    }

    void closeSfn(@Disposes SfnClient client) {
        client.close();
    }

    void closeSecrets(@Disposes SecretsManagerClient client) {
        client.close();
    }
}
