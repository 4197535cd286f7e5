using System.Buffers.Text;
using System.Text;

namespace AstraTrade.Application.Common;

/// <summary>Opaque page cursors: the position to continue from, as base64url text, so clients never build one.</summary>
public static class PageCursor
{
    public static string Encode(string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(position));

    /// <summary>The position a cursor carries; false for text this API did not produce.</summary>
    public static bool TryDecode(string cursor, out string position)
    {
        try
        {
            position = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return true;
        }
        catch (FormatException)
        {
            position = "";
            return false;
        }
    }
}
