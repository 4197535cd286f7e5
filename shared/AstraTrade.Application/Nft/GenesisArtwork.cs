using System.Globalization;
using System.Text;
using AstraTrade.Domain.Nft;

namespace AstraTrade.Application.Nft;

/// <summary>
/// The image of a Genesis token: a small SVG badge drawn from the kind (title, number), served inside the metadata as a
/// data URI. The image is therefore always there with the metadata, needs no storage or CDN, and is the same for every
/// token of a kind (the token's own facts are its attributes).
/// </summary>
public static class GenesisArtwork
{
    public static string DataUri(GenesisKind kind) =>
        "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(Svg(kind)));

    public static string Svg(GenesisKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var number = kind.Number.ToString("00", CultureInfo.InvariantCulture);
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"512\" height=\"512\" viewBox=\"0 0 512 512\">"
            + "<rect width=\"512\" height=\"512\" rx=\"48\" fill=\"#0b1026\"/>"
            + "<circle cx=\"256\" cy=\"210\" r=\"120\" fill=\"none\" stroke=\"#f5c542\" stroke-width=\"8\"/>"
            + "<path d=\"M256 120 L279 187 L350 187 L293 229 L314 297 L256 256 L198 297 L219 229 L162 187 L233 187 Z\" fill=\"#f5c542\"/>"
            + $"<text x=\"256\" y=\"392\" font-family=\"sans-serif\" font-size=\"36\" fill=\"#ffffff\" text-anchor=\"middle\">{Escape(kind.Title)}</text>"
            + $"<text x=\"256\" y=\"440\" font-family=\"sans-serif\" font-size=\"22\" fill=\"#9aa4c7\" text-anchor=\"middle\">{Escape(GenesisCollection.Name)} #{number}</text>"
            + "</svg>";
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
