using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace AstraTrade.Starknet;

/// <summary>A member of a SNIP-12 struct or enum type: its name, its type and, for enums and Merkle trees, the contained type.</summary>
public sealed record TypedDataMember(string Name, string Type, string? Contains);

/// <summary>
/// SNIP-12 typed data, revision 1 (Poseidon, <c>StarknetDomain</c>), read from its JSON form
/// (<c>{ "types": …, "primaryType": …, "domain": …, "message": … }</c>), hashed exactly as starknet.js's
/// <c>typedData.getMessageHash</c> does.
/// </summary>
/// <remarks>
/// <para>Basic types: felt, bool, string (a ByteArray, any length), selector, merkletree, enum, u128, i128,
/// ContractAddress, ClassHash, timestamp, shortstring, arrays (<c>type*</c>), nested structs, and the preset types u256,
/// TokenAmount and NftId.</para>
/// <para>Values follow starknet.js: numbers may be JSON integers (at most 2^53 − 1, as JavaScript reads them exactly) or
/// strings ("0x" hex, decimal, "0b"/"0o"); felt and shortstring values that are not numbers are short strings.
/// Strings must be ASCII. One deliberate difference: characters below U+0010 in short strings and strings are refused,
/// because starknet.js encodes them without zero padding (a different number than Cairo's encoding).</para>
/// <para>Revision 0 (Pedersen, <c>StarkNetDomain</c>) is not supported. Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class TypedData
{
    /// <summary>The domain type name of revision 1.</summary>
    public const string DomainTypeName = "StarknetDomain";

    /// <summary>"StarkNet Message", the first element of the message hash.</summary>
    public static readonly Felt MessagePrefix = ShortString.Encode("StarkNet Message");

    private static readonly BigInteger U128Max = (BigInteger.One << 128) - 1;
    private static readonly BigInteger I128Min = -(BigInteger.One << 127);
    private static readonly BigInteger I128Max = (BigInteger.One << 127) - 1;
    private const long MaxSafeInteger = 9007199254740991; // 2^53 − 1

    /// <summary>The preset types of revision 1.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<TypedDataMember>> PresetTypes =
        new Dictionary<string, IReadOnlyList<TypedDataMember>>(StringComparer.Ordinal)
        {
            ["u256"] = [new("low", "u128", null), new("high", "u128", null)],
            ["TokenAmount"] = [new("token_address", "ContractAddress", null), new("amount", "u256", null)],
            ["NftId"] = [new("collection_address", "ContractAddress", null), new("token_id", "u256", null)],
        };

    private readonly Dictionary<string, IReadOnlyList<TypedDataMember>> _types;
    private readonly Dictionary<string, IReadOnlyList<TypedDataMember>> _allTypes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Felt> _typeHashCache = new(StringComparer.Ordinal);

    private TypedData(Dictionary<string, IReadOnlyList<TypedDataMember>> types, string primaryType, JsonElement domain, JsonElement message)
    {
        _types = types;
        PrimaryType = primaryType;
        Domain = domain;
        Message = message;
        _allTypes = new Dictionary<string, IReadOnlyList<TypedDataMember>>(types, StringComparer.Ordinal);
        foreach (var (name, members) in PresetTypes)
        {
            _allTypes[name] = members;
        }
    }

    /// <summary>The declared types (without the presets).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TypedDataMember>> Types => _types;

    /// <summary>The primary type of the message.</summary>
    public string PrimaryType { get; }

    /// <summary>The domain object.</summary>
    public JsonElement Domain { get; }

    /// <summary>The message object.</summary>
    public JsonElement Message { get; }

    /// <summary>Parses a typed-data JSON document.</summary>
    /// <exception cref="JsonException">Not JSON.</exception>
    /// <exception cref="FormatException">Not SNIP-12 typed data.</exception>
    /// <exception cref="NotSupportedException">A revision other than 1.</exception>
    public static TypedData Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        return FromJson(doc.RootElement);
    }

    /// <summary>Reads typed data from a JSON element (the element is cloned).</summary>
    public static TypedData FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("Typed data is a JSON object.");
        }

        if (!root.TryGetProperty("types", out var typesElement) || typesElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("Typed data needs a \"types\" object.");
        }

        if (!root.TryGetProperty("primaryType", out var primaryElement) || primaryElement.ValueKind != JsonValueKind.String
            || string.IsNullOrEmpty(primaryElement.GetString()))
        {
            throw new FormatException("Typed data needs a \"primaryType\" string.");
        }

        if (!root.TryGetProperty("domain", out var domain) || domain.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("Typed data needs a \"domain\" object.");
        }

        if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("Typed data needs a \"message\" object.");
        }

        var types = new Dictionary<string, IReadOnlyList<TypedDataMember>>(StringComparer.Ordinal);
        foreach (var property in typesElement.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"Type '{property.Name}' must be an array of members.");
            }

            var members = new List<TypedDataMember>();
            foreach (var m in property.Value.EnumerateArray())
            {
                if (m.ValueKind != JsonValueKind.Object
                    || !m.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String
                    || !m.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String)
                {
                    throw new FormatException($"Each member of type '{property.Name}' needs string \"name\" and \"type\".");
                }

                string? contains = null;
                if (m.TryGetProperty("contains", out var c) && c.ValueKind == JsonValueKind.String)
                {
                    contains = c.GetString();
                }

                members.Add(new TypedDataMember(n.GetString()!, t.GetString()!, contains));
            }

            types[property.Name] = members;
        }

        foreach (var preset in PresetTypes.Keys)
        {
            if (types.ContainsKey(preset))
            {
                throw new FormatException($"Type '{preset}' is a preset type of revision 1 and may not be redeclared.");
            }
        }

        var isRevision1 = domain.TryGetProperty("revision", out var revision)
            && ((revision.ValueKind == JsonValueKind.String && revision.GetString() == "1")
                || (revision.ValueKind == JsonValueKind.Number && revision.GetRawText() == "1"));
        if (!types.ContainsKey(DomainTypeName) || !isRevision1)
        {
            if (types.ContainsKey("StarkNetDomain"))
            {
                throw new NotSupportedException("SNIP-12 revision 0 (StarkNetDomain, Pedersen) is not supported; use revision 1.");
            }

            throw new FormatException("SNIP-12 revision 1 needs a \"StarknetDomain\" type and domain.revision = 1.");
        }

        return new TypedData(types, primaryElement.GetString()!, domain.Clone(), message.Clone());
    }

    /// <summary>Parses the document and returns its message hash for the given account.</summary>
    public static Felt GetMessageHash(string json, Felt accountAddress) => Parse(json).GetMessageHash(accountAddress);

    /// <summary>
    /// The message hash a Starknet account signs: poseidon("StarkNet Message", struct_hash(StarknetDomain, domain),
    /// account, struct_hash(primaryType, message)).
    /// </summary>
    public Felt GetMessageHash(Felt accountAddress) =>
        Poseidon.HashMany(MessagePrefix, GetStructHash(DomainTypeName, Domain), accountAddress, GetStructHash(PrimaryType, Message));

    /// <summary>
    /// The type encoding: the type, then its dependencies sorted by name, each as "Name"("member":"type",…), with enum
    /// members shown by their enum type and enum variants as tuples of types.
    /// </summary>
    public string EncodeType(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        if (!_allTypes.ContainsKey(typeName))
        {
            throw new FormatException($"Type '{typeName}' is not declared.");
        }

        var dependencies = new HashSet<string>(StringComparer.Ordinal);
        CollectDependencies(typeName, dependencies);
        dependencies.Remove(typeName);
        var ordered = new List<string> { typeName };
        ordered.AddRange(dependencies.OrderBy(d => d, StringComparer.Ordinal));

        var sb = new StringBuilder();
        foreach (var name in ordered)
        {
            sb.Append('"').Append(name).Append("\"(");
            var first = true;
            foreach (var member in _allTypes[name])
            {
                if (!first)
                {
                    sb.Append(',');
                }

                first = false;
                var target = member.Type == "enum" ? member.Contains ?? throw MissingContains(name, member) : member.Type;
                sb.Append('"').Append(member.Name).Append("\":");
                if (IsTuple(target))
                {
                    sb.Append('(');
                    var parts = target[1..^1].Split(',');
                    for (var i = 0; i < parts.Length; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append(',');
                        }

                        if (parts[i].Length > 0)
                        {
                            sb.Append('"').Append(parts[i]).Append('"');
                        }
                    }

                    sb.Append(')');
                }
                else
                {
                    sb.Append('"').Append(target).Append('"');
                }
            }

            sb.Append(')');
        }

        return sb.ToString();
    }

    /// <summary>The type hash: starknet_keccak of <see cref="EncodeType"/>.</summary>
    public Felt GetTypeHash(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        return _typeHashCache.GetOrAdd(typeName, name => StarknetKeccak.Hash(EncodeType(name)));
    }

    /// <summary>The struct hash: poseidon(type_hash, encoded members…) of <paramref name="data"/> as <paramref name="typeName"/>.</summary>
    public Felt GetStructHash(string typeName, JsonElement data)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        if (!_allTypes.TryGetValue(typeName, out var members))
        {
            throw new FormatException($"Type '{typeName}' is not declared.");
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"A value of struct type '{typeName}' must be a JSON object.");
        }

        var values = new List<Felt>(members.Count + 1) { GetTypeHash(typeName) };
        foreach (var member in members)
        {
            if (!data.TryGetProperty(member.Name, out var value) || (value.ValueKind == JsonValueKind.Null && member.Type != "enum"))
            {
                throw new FormatException($"Cannot encode data: missing data for '{member.Name}' in '{typeName}'.");
            }

            values.Add(EncodeValue(member.Type, value, typeName, member));
        }

        return Poseidon.HashMany(values);
    }

    private Felt EncodeValue(string type, JsonElement data, string? parent, TypedDataMember? member)
    {
        if (_allTypes.ContainsKey(type))
        {
            return GetStructHash(type, data);
        }

        if (type.EndsWith('*'))
        {
            if (data.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"A value of type '{type}' must be a JSON array.");
            }

            var element = type[..^1];
            var hashes = new List<Felt>();
            foreach (var entry in data.EnumerateArray())
            {
                hashes.Add(EncodeValue(element, entry, null, null));
            }

            return Poseidon.HashMany(hashes);
        }

        switch (type)
        {
            case "enum":
                return EncodeEnum(data, parent, member);
            case "merkletree":
                return EncodeMerkleTree(data, parent, member);
            case "selector":
            {
                var text = RequireString(data, type);
                return IsHexLiteral(text)
                    ? Felt.FromBigIntegerReduced(JsBigInt.Parse(text) ?? throw new FormatException($"'{text}' is not a valid selector."))
                    : Selectors.GetSelectorFromName(text);
            }

            case "string":
                return EncodeByteArray(RequireString(data, type));
            case "i128":
            {
                var value = JsBigInt.FromJson(data, type);
                CheckRange(value, I128Min, I128Max, type);
                return value.Sign < 0 ? Felt.FromBigInteger(Felt.Prime + value) : Felt.FromBigInteger(value);
            }

            case "timestamp":
            case "u128":
            {
                var value = JsBigInt.FromJson(data, type);
                CheckRange(value, BigInteger.Zero, U128Max, type);
                return Felt.FromBigInteger(value);
            }

            case "felt":
            case "shortstring":
            {
                var value = GetHex(data, type);
                CheckRange(value, BigInteger.Zero, Felt.Prime - 1, type);
                return Felt.FromBigInteger(value);
            }

            case "ClassHash":
            case "ContractAddress":
            {
                var value = JsBigInt.FromJson(data, type);
                CheckRange(value, BigInteger.Zero, Felt.Prime - 1, type);
                return Felt.FromBigInteger(value);
            }

            case "bool":
                return data.ValueKind switch
                {
                    JsonValueKind.True => Felt.One,
                    JsonValueKind.False => Felt.Zero,
                    _ => throw new FormatException($"Type mismatch for bool: {data.GetRawText()}."),
                };
            default:
                throw new FormatException($"Unsupported type: '{type}'.");
        }
    }

    private Felt EncodeEnum(JsonElement data, string? parent, TypedDataMember? member)
    {
        if (parent is null || member is null)
        {
            throw new FormatException("An enum value can only be a struct member (with \"contains\").");
        }

        var enumName = member.Contains ?? throw MissingContains(parent, member);
        if (!_types.TryGetValue(enumName, out var variants))
        {
            throw new FormatException($"Enum type '{enumName}' is not declared.");
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"A value of enum '{enumName}' is an object {{ \"Variant\": [values…] }}.");
        }

        using var properties = data.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw new FormatException($"A value of enum '{enumName}' names its variant.");
        }

        var (variantName, variantData) = (properties.Current.Name, properties.Current.Value);
        var index = -1;
        for (var i = 0; i < variants.Count; i++)
        {
            if (variants[i].Name == variantName)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new FormatException($"Enum '{enumName}' has no variant '{variantName}'.");
        }

        var variantType = variants[index].Type;
        if (!IsTuple(variantType))
        {
            throw new FormatException($"Variant '{variantName}' of enum '{enumName}' must have a tuple type such as \"(felt,u128)\" or \"()\".");
        }

        // As starknet.js: the tuple's parts, split on ','; an empty part (as in "()") encodes as 0.
        var parts = variantType[1..^1].Split(',');
        var values = new List<Felt>(parts.Length + 1) { (ulong)index };
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0)
            {
                values.Add(Felt.Zero);
                continue;
            }

            if (variantData.ValueKind != JsonValueKind.Array || variantData.GetArrayLength() <= i)
            {
                throw new FormatException($"Variant '{variantName}' of enum '{enumName}' needs an array of {parts.Length} values.");
            }

            values.Add(EncodeValue(parts[i], variantData[i], null, null));
        }

        return Poseidon.HashMany(values);
    }

    private Felt EncodeMerkleTree(JsonElement data, string? parent, TypedDataMember? member)
    {
        if (parent is null || member is null)
        {
            throw new FormatException("A merkletree value can only be a struct member (with \"contains\").");
        }

        var contains = member.Contains ?? throw MissingContains(parent, member);
        if (contains.EndsWith('*'))
        {
            throw new FormatException($"Merkle tree contain property must not be an array but was given {member.Name}.");
        }

        if (data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
        {
            throw new FormatException($"A merkletree value ('{member.Name}') is a non-empty array of leaves.");
        }

        var level = new List<Felt>();
        foreach (var leaf in data.EnumerateArray())
        {
            level.Add(EncodeValue(contains, leaf, null, null));
        }

        return MerkleRoot(level);
    }

    /// <summary>
    /// The root of starknet.js's Merkle tree with Poseidon: pairs are hashed smaller value first, an odd last node is
    /// paired with 0, a single leaf is its own root.
    /// </summary>
    public static Felt MerkleRoot(IReadOnlyList<Felt> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0)
        {
            throw new ArgumentException("A Merkle tree needs at least one leaf.", nameof(leaves));
        }

        var level = leaves.ToList();
        while (level.Count > 1)
        {
            var next = new List<Felt>((level.Count + 1) / 2);
            for (var i = 0; i < level.Count; i += 2)
            {
                var a = level[i];
                var b = i + 1 < level.Count ? level[i + 1] : Felt.Zero;
                next.Add(a <= b ? Poseidon.Hash(a, b) : Poseidon.Hash(b, a));
            }

            level = next;
        }

        return level[0];
    }

    /// <summary>
    /// The SNIP-12 encoding of a string (a Cairo ByteArray): poseidon(number of full 31-byte words, the words…,
    /// pending word, pending word length).
    /// </summary>
    public static Felt EncodeByteArray(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new List<Felt>();
        var fullWords = text.Length / ShortString.MaxLength;
        var pendingLength = text.Length % ShortString.MaxLength;
        values.Add((ulong)fullWords);
        for (var i = 0; i < fullWords; i++)
        {
            values.Add(EncodeShortStringStrict(text.Substring(i * ShortString.MaxLength, ShortString.MaxLength)));
        }

        values.Add(pendingLength == 0 ? Felt.Zero : EncodeShortStringStrict(text[(fullWords * ShortString.MaxLength)..]));
        values.Add((ulong)pendingLength);
        return Poseidon.HashMany(values);
    }

    private void CollectDependencies(string type, HashSet<string> found)
    {
        if (!found.Add(type))
        {
            return;
        }

        foreach (var member in _allTypes[type])
        {
            foreach (var candidate in ReferencedTypes(member))
            {
                if (_allTypes.ContainsKey(candidate))
                {
                    CollectDependencies(candidate, found);
                }
            }
        }
    }

    private static IEnumerable<string> ReferencedTypes(TypedDataMember member)
    {
        var type = member.Type;
        if (type.EndsWith('*'))
        {
            yield return type[..^1];
        }
        else if (type == "enum")
        {
            if (member.Contains is not null)
            {
                yield return member.Contains;
            }
        }
        else if (IsTuple(type))
        {
            foreach (var part in type[1..^1].Split(','))
            {
                yield return part.EndsWith('*') ? part[..^1] : part;
            }
        }
        else
        {
            yield return type;
        }
    }

    private static bool IsTuple(string type) => type.Length >= 2 && type[0] == '(' && type[^1] == ')';

    private static bool IsHexLiteral(string text) =>
        text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') && text.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") == false;

    private static FormatException MissingContains(string type, TypedDataMember member) =>
        new($"Member '{member.Name}' of '{type}' has type '{member.Type}' but no \"contains\".");

    private static string RequireString(JsonElement data, string type) =>
        data.ValueKind == JsonValueKind.String ? data.GetString()! : throw new FormatException($"A value of type '{type}' must be a JSON string.");

    private static void CheckRange(BigInteger value, BigInteger min, BigInteger max, string type)
    {
        if (value < min || value > max)
        {
            throw new FormatException($"{value} ({type}) is out of bounds [{min}, {max}].");
        }
    }

    /// <summary>starknet.js's getHex: the value as a number when it reads as one, else a short string.</summary>
    private static BigInteger GetHex(JsonElement data, string type)
    {
        if (data.ValueKind == JsonValueKind.String)
        {
            var text = data.GetString()!;
            return JsBigInt.Parse(text) ?? EncodeShortStringStrict(text).ToBigInteger();
        }

        return JsBigInt.FromJson(data, type);
    }

    /// <summary>Short-string encoding that refuses what starknet.js would encode differently from Cairo.</summary>
    private static Felt EncodeShortStringStrict(string text)
    {
        foreach (var ch in text)
        {
            if (ch < 0x10)
            {
                throw new FormatException($"Characters below U+0010 are refused in short strings (starknet.js encodes them without padding): '{text}'.");
            }
        }

        try
        {
            return ShortString.Encode(text);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>JavaScript's <c>BigInt(value)</c> for the JSON values typed data holds.</summary>
    private static class JsBigInt
    {
        public static BigInteger FromJson(JsonElement data, string type)
        {
            switch (data.ValueKind)
            {
                case JsonValueKind.True:
                    return BigInteger.One;
                case JsonValueKind.False:
                    return BigInteger.Zero;
                case JsonValueKind.Number:
                {
                    if (!data.TryGetInt64(out var n) || n is > MaxSafeInteger or < -MaxSafeInteger)
                    {
                        throw new FormatException($"{data.GetRawText()} ({type}) is not a safe JSON integer; write large numbers as strings.");
                    }

                    return n;
                }

                case JsonValueKind.String:
                {
                    var text = data.GetString()!;
                    return Parse(text) ?? throw new FormatException($"'{text}' ({type}) is not a number.");
                }

                default:
                    throw new FormatException($"A value of type '{type}' must be a number or a string, not {data.ValueKind}.");
            }
        }

        /// <summary>StringToBigInt: trimmed; empty is 0; 0x/0o/0b literals; else an optionally signed decimal. Null when invalid.</summary>
        public static BigInteger? Parse(string text)
        {
            var s = text.AsSpan().Trim();
            if (s.Length == 0)
            {
                return BigInteger.Zero;
            }

            if (s.Length > 2 && s[0] == '0')
            {
                var radix = s[1] switch
                {
                    'x' or 'X' => 16,
                    'o' or 'O' => 8,
                    'b' or 'B' => 2,
                    _ => 0,
                };
                if (radix != 0)
                {
                    var value = BigInteger.Zero;
                    foreach (var ch in s[2..])
                    {
                        var digit = ch switch
                        {
                            >= '0' and <= '9' => ch - '0',
                            >= 'a' and <= 'f' => ch - 'a' + 10,
                            >= 'A' and <= 'F' => ch - 'A' + 10,
                            _ => 99,
                        };
                        if (digit >= radix)
                        {
                            return null;
                        }

                        value = (value * radix) + digit;
                    }

                    return value;
                }
            }

            var negative = false;
            if (s[0] is '+' or '-')
            {
                negative = s[0] == '-';
                s = s[1..];
            }

            if (s.Length == 0 || s.ContainsAnyExceptInRange('0', '9'))
            {
                return null;
            }

            var result = BigInteger.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
            return negative ? -result : result;
        }
    }
}
