using System.Text;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

internal static class TestEvents
{
    public static EventData New(string type = "order-placed")
    {
        var id = Guid.NewGuid();
        return new EventData(id, type, Encoding.UTF8.GetBytes($$"""{"id":"{{id}}"}"""));
    }

    public static EventData[] Many(int count, string type = "order-placed")
    {
        var events = new EventData[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = New(type);
        }

        return events;
    }

    public static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);
}
