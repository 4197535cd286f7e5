using AstraTrade.LoadTest;

// AstraTrade load test client; scripts/load-test.sh starts the app and runs this. See docs/PERFORMANCE.md.
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
