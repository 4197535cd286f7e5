using AstraTrade.Functions.Hosting;
using AstraTrade.Functions.Platform;

// Publishing: `--write-function-json <dir>` writes the function.json files from the declarations and exits
// (scripts/publish-functions.sh, docs/functions.md).
if (FunctionJsonWriter.RunFromCommandLine(args, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);

// Under the Azure Functions host (custom handler), the host tells us the port to listen on; standalone, --urls or
// ASPNETCORE_URLS decide, defaulting to loopback.
if (Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is { Length: > 0 } port)
{
    builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
}
else if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

builder.AddAstraTrade();
var app = builder.Build();
app.MapAstraTrade();
app.Run();
return 0;

/// <summary>The app's entry point, visible to functional tests (WebApplicationFactory).</summary>
public partial class Program;
