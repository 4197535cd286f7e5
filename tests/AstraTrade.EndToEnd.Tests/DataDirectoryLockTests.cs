namespace AstraTrade.EndToEnd.Tests;

/// <summary>
/// Two processes must never share one embedded store. Tested with real processes: the in-memory test host reports a
/// failed start unreliably (its deferred host is sometimes disposed before the real exception surfaces).
/// </summary>
public sealed class DataDirectoryLockTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "astratrade-e2e-lock-" + Guid.NewGuid().ToString("N"));
    private AppProcess _first = null!;

    public async Task InitializeAsync()
    {
        _first = new AppProcess(_data);
        await _first.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_second_process_on_the_same_data_directory_refuses_to_start_and_the_first_keeps_serving()
    {
        await using var second = new AppProcess(_data);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(second.StartAsync);

        Assert.Contains("exited", failure.Message, StringComparison.Ordinal);
        Assert.Contains("DataDirectoryInUseException", second.Output, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = _first.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("api/v1/markets")).StatusCode);
    }
}
