using System.Net;

namespace AstraTrade.Functions.FunctionalTests.Infrastructure;

/// <summary>
/// The in-memory server has no network peer, so every request would come from the same (null) address. This filter,
/// first in the pipeline, takes the peer address from a test-only header, so tests can act as different clients
/// (the auth rate limit is partitioned by client address).
/// </summary>
public sealed class ClientAddressStartupFilter : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var value) && IPAddress.TryParse(value.ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
