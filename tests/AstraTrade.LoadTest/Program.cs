using AstraTrade.LoadTest;
using AstraTrade.LoadTest.Standings;

// AstraTrade load test client; scripts/load-test.sh starts the app and runs this. See docs/PERFORMANCE.md.
// "standings" as the first argument runs the tournament standings benchmark instead (scripts/standings-benchmark.sh).
if (args is ["standings", ..])
{
    return await StandingsMain(args[1..]);
}

Options options;
try
{
    options = Options.Parse(args);
}
catch (HelpRequested)
{
    Console.WriteLine(Options.Usage);
    return 0;
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

using var api = new Api(options.Url, options.Connections, options.RawClient);
return options.Verify is { } ackFile
    ? await new Verifier(options, api).RunAsync(ackFile)
    : await new Runner(options, api).RunAsync();

static async Task<int> StandingsMain(string[] args)
{
    StandingsOptions options;
    try
    {
        options = StandingsOptions.Parse(args);
    }
    catch (HelpRequested)
    {
        Console.WriteLine(StandingsOptions.Usage);
        return 0;
    }
    catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
    {
        Console.Error.WriteLine(ex.Message);
        Console.Error.WriteLine(StandingsOptions.Usage);
        return 2;
    }

    using var api = new Api(options.Url, options.SetupConcurrency + 16, raw: true);
    return await new StandingsBenchmark(options, api).RunAsync();
}
