using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AstraTrade.Functions.Http;

/// <summary>What the generated OpenAPI document cannot infer: bearer auth, the required Idempotency-Key (validated in the
/// endpoint to answer with a clear problem, so its parameter is nullable), and decimals as exact JSON numbers.</summary>
public static class OpenApiConventions
{
    private const string Bearer = "Bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "The accessToken from POST /api/v1/auth/register, /login or /refresh.",
            };
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
            }

            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                if (parameter.Name == "Idempotency-Key")
                {
                    parameter.Required = true;
                    parameter.Description = "A unique value per order (e.g. a UUID); a retry with the same key returns the first result.";
                }
            }

            return Task.CompletedTask;
        });

        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(decimal))
            {
                schema.Type = JsonSchemaType.Number;
                schema.Format = "decimal";
            }

            return Task.CompletedTask;
        });
    }
}
