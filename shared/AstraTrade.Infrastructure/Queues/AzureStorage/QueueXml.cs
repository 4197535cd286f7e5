using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace AstraTrade.Infrastructure.Queues.AzureStorage;

/// <summary>A message as the Get Messages response lists it; the text is still base64.</summary>
internal sealed record ListedMessage(string MessageId, string PopReceipt, string MessageText, int DequeueCount, DateTimeOffset InsertionTime);

/// <summary>The XML bodies of the Queue service: the Put Message request, the Get Messages response, error responses.</summary>
internal static class QueueXml
{
    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
    };

    /// <summary><c>&lt;QueueMessage&gt;&lt;MessageText&gt;…&lt;/MessageText&gt;&lt;/QueueMessage&gt;</c>; base64 needs no escaping.</summary>
    public static byte[] PutMessageBody(string base64Text) =>
        Encoding.UTF8.GetBytes($"<QueueMessage><MessageText>{base64Text}</MessageText></QueueMessage>");

    /// <exception cref="FormatException">The body is not a QueueMessagesList, or a message lacks a field.</exception>
    public static List<ListedMessage> ParseMessages(Stream body)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(body, ReaderSettings);
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FormatException("The Get Messages response is not XML.", e);
        }

        if (document.Root is not { Name.LocalName: "QueueMessagesList" } root)
        {
            throw new FormatException($"The Get Messages response is <{document.Root?.Name.LocalName}>, not <QueueMessagesList>.");
        }

        var messages = new List<ListedMessage>();
        foreach (var element in root.Elements("QueueMessage"))
        {
            messages.Add(new ListedMessage(
                Required(element, "MessageId"),
                Required(element, "PopReceipt"),
                (string?)element.Element("MessageText") ?? string.Empty,
                int.Parse(Required(element, "DequeueCount"), NumberStyles.None, CultureInfo.InvariantCulture),
                DateTimeOffset.ParseExact(Required(element, "InsertionTime"), "R", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)));
        }

        return messages;
    }

    /// <summary>The Code, Message and (for a refused signature or token) AuthenticationErrorDetail of an
    /// <c>&lt;Error&gt;</c> body, or nulls when the body is something else.</summary>
    public static (string? Code, string? Message, string? Detail) ParseError(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null, null);
        }

        try
        {
            using var reader = XmlReader.Create(new StringReader(body), ReaderSettings);
            var root = XDocument.Load(reader).Root;
            return root is { Name.LocalName: "Error" }
                ? ((string?)root.Element("Code"), (string?)root.Element("Message"), (string?)root.Element("AuthenticationErrorDetail"))
                : (null, null, null);
        }
        catch (XmlException)
        {
            return (null, null, null);
        }
    }

    private static string Required(XElement message, string name) =>
        (string?)message.Element(name) is { Length: > 0 } value
            ? value
            : throw new FormatException($"A message in the Get Messages response has no {name}.");
}
