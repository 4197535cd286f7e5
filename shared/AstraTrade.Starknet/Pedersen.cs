using System.Numerics;

namespace AstraTrade.Starknet;

/// <summary>
/// Starknet's Pedersen hash: H(a, b) = [shift + a_low·P1 + a_high·P2 + b_low·P3 + b_high·P4].x, where _low is the low
/// 248 bits and _high the top 4 bits of each input (inputs are field elements, so below P). The five constant points are
/// cairo-lang's, generated from the digits of π (the tests re-derive them).
/// </summary>
public static class Pedersen
{
    /// <summary>The shift point (cairo-lang's constant point 0).</summary>
    public static readonly StarkPoint ShiftPoint = Point(
        "0x49ee3eba8c1600700ee1b87eb599f16716b0b1022947733551fde4050ca6804",
        "0x3ca0cfe4b3bc6ddf346d49d06ea0ed34e621062c0e056c1d0405d266e10268a");

    /// <summary>The four hash points P1..P4 (cairo-lang's constant points 2, 250, 254, 502).</summary>
    public static readonly IReadOnlyList<StarkPoint> HashPoints =
    [
        Point("0x234287dcbaffe7f969c748655fca9e58fa8120b6d56eb0c1080d17957ebe47b", "0x3b056f100f96fb21e889527d41f4e39940135dd7a6c94cc6ed0268ee89e5615"),
        Point("0x4fa56f376c83db33f9dab2656558f3399099ec1de5e3018b7a6932dba8aa378", "0x3fa0984c931c9e38113e0c0e47e4401562761f92a7a23b45168f4e80ff5b54d"),
        Point("0x4ba4cc166be8dec764910f75b45f74b40c690c74709e90f3aa372f0bd2d6997", "0x40301cf5c1751f4b971e46c4ede85fcac5c59a5ce5ae7c48151f27b24b219c"),
        Point("0x54302dcb0e6cc1c6e44cca8f61a63bb2ca65048d53fb325d36ff12c49a58202", "0x1b77b3e37d13504b348046268d8ae25ce98ad783c25561a879dcc77e99c2426"),
    ];

    private static readonly BigInteger LowMask = (BigInteger.One << 248) - 1;

    // Fixed-base tables: 8-bit windows (31 of them) for each 248-bit low part, one 4-bit window for each high part.
    // About 15,900 affine points (1 MB), built on first use.
    private static readonly Lazy<AffinePoint[][][]> Tables = new(() =>
    [
        FixedBaseTable.Build(HashPoints[0].ToAffine(), 31, 8),
        FixedBaseTable.Build(HashPoints[1].ToAffine(), 1),
        FixedBaseTable.Build(HashPoints[2].ToAffine(), 31, 8),
        FixedBaseTable.Build(HashPoints[3].ToAffine(), 1),
    ]);

    /// <summary>Pedersen hash of two field elements.</summary>
    public static Felt Hash(Felt a, Felt b)
    {
        var tables = Tables.Value;
        var acc = JacobianPoint.FromPoint(ShiftPoint);
        var av = a.ToBigInteger();
        var bv = b.ToBigInteger();
        acc = FixedBaseTable.Accumulate(acc, tables[0], av & LowMask);
        acc = FixedBaseTable.Accumulate(acc, tables[1], av >> 248);
        acc = FixedBaseTable.Accumulate(acc, tables[2], bv & LowMask);
        acc = FixedBaseTable.Accumulate(acc, tables[3], bv >> 248);
        return acc.ToAffine().X;
    }

    /// <summary>
    /// Starknet's <c>compute_hash_on_elements</c>: h = H(…H(H(0, e1), e2)…, en), then H(h, n).
    /// </summary>
    public static Felt HashOnElements(IEnumerable<Felt> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var h = Felt.Zero;
        ulong count = 0;
        foreach (var e in elements)
        {
            h = Hash(h, e);
            count++;
        }

        return Hash(h, count);
    }

    /// <summary>Same as <see cref="HashOnElements(IEnumerable{Felt})"/>.</summary>
    public static Felt HashOnElements(params ReadOnlySpan<Felt> elements)
    {
        var h = Felt.Zero;
        foreach (var e in elements)
        {
            h = Hash(h, e);
        }

        return Hash(h, (ulong)elements.Length);
    }

    private static StarkPoint Point(string x, string y) => StarkPoint.FromCoordinates(Felt.Parse(x), Felt.Parse(y));
}
