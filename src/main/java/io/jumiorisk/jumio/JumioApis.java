package io.jumiorisk.jumio;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.rest.client.reactive.Url;
import io.smallrye.mutiny.Uni;

/**
 * Jumio's v1 endpoints as REST client interfaces. They return the raw response so that {@link JumioHttp} can classify
 * every status itself, and a {@link Uni} so that each call can be given the time the invocation has left.
 */
public final class JumioApis {
    private JumioApis() {
    }

    @Path("/oauth2/token")
    public interface Auth {
        @POST
        @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
        @Produces(MediaType.APPLICATION_JSON)
        Uni<Response> token(@HeaderParam("Authorization") String basic, @HeaderParam("User-Agent") String userAgent,
                @FormParam("grant_type") String grantType);
    }

    @Path("/api/v1/accounts")
    public interface Accounts {
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        Uni<Response> create(@HeaderParam("Authorization") String bearer, @HeaderParam("User-Agent") String userAgent,
                AccountRequest body);

        @PUT
        @Path("/{accountId}")
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        Uni<Response> update(@HeaderParam("Authorization") String bearer, @HeaderParam("User-Agent") String userAgent,
                @PathParam("accountId") String accountId, AccountRequest body);
    }

    /** Upload and finalize go to the absolute URLs from the account response, never to rebuilt ones. */
    public interface Workflow {
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        Uni<Response> upload(@Url String preparedDataUrl, @HeaderParam("Authorization") String bearer,
                @HeaderParam("User-Agent") String userAgent, JsonNode preparedData);

        @PUT
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.APPLICATION_JSON)
        Uni<Response> finalizeWorkflow(@Url String workflowExecutionUrl, @HeaderParam("Authorization") String bearer,
                @HeaderParam("User-Agent") String userAgent, String emptyBody);
    }

    @Path("/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}")
    public interface Retrieval {
        @GET
        @Path("/status")
        @Produces(MediaType.APPLICATION_JSON)
        Uni<Response> status(@HeaderParam("Authorization") String bearer, @HeaderParam("User-Agent") String userAgent,
                @PathParam("accountId") String accountId, @PathParam("workflowExecutionId") String workflowExecutionId);

        @GET
        @Produces(MediaType.APPLICATION_JSON)
        Uni<Response> details(@HeaderParam("Authorization") String bearer, @HeaderParam("User-Agent") String userAgent,
                @PathParam("accountId") String accountId, @PathParam("workflowExecutionId") String workflowExecutionId);

        @DELETE
        Uni<Response> delete(@HeaderParam("Authorization") String bearer, @HeaderParam("User-Agent") String userAgent,
                @PathParam("accountId") String accountId, @PathParam("workflowExecutionId") String workflowExecutionId);
    }

    /** Deleting a whole account erases every workflow execution under it. */
    @Path("/api/v1/accounts/{accountId}")
    public interface AccountErasure {
        @DELETE
        Uni<Response> delete(@HeaderParam("Authorization") String bearer, @HeaderParam("User-Agent") String userAgent,
                @PathParam("accountId") String accountId);
    }
}
