using System.Text.Json;

namespace Arq.Tests;

/// <summary>
/// The golden vectors of tests/vectors: bytes that real Python arq 0.26.1 wrote (see tests/vectors/README.md). Each stored job or
/// result value comes with its decoded form, in the JSON conventions of the vectors' README.
/// </summary>
public static class GoldenVectors
{
    /// <summary>The vectors folder, which the build copies from tests/vectors beside the test binaries.</summary>
    public static string Folder { get; } = FindFolder();

    /// <summary>Every (file, key, hex, decoded) stored value in every vector, nested notes included.</summary>
    public static IEnumerable<StoredValue> StoredValues()
    {
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order())
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var value in Walk(document.RootElement, Path.GetFileNameWithoutExtension(file), key: ""))
                yield return value;
        }
    }

    /// <summary>Turns a decoded JSON value into the CLR value a .NET caller would pass: ints as long, floats as
    /// double, {"$bytes"} as byte[], arrays as object?[], maps as ordered dictionaries.</summary>
    public static object? ToClr(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => Number(element),
        JsonValueKind.Array => element.EnumerateArray().Select(ToClr).ToArray(),
        JsonValueKind.Object when element.TryGetProperty("$bytes", out var hex) => Convert.FromHexString(hex.GetString()!),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToClr(p.Value)),
        _ => throw new InvalidDataException($"Unexpected JSON {element.ValueKind}"),
    };

    // Typed as object so that the branches keep their own types (a ?: chain would make every number a double).
    private static object Number(JsonElement element)
    {
        if (IsFloat(element.GetRawText())) return element.GetDouble();
        if (element.TryGetInt64(out var signed)) return signed;
        return element.GetUInt64();
    }

    private static bool IsFloat(string number) => number.IndexOfAny(['.', 'e', 'E']) >= 0;

    private static IEnumerable<StoredValue> Walk(JsonElement element, string file, string key)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("value_hex", out var hex) && element.TryGetProperty("value_msgpack_decoded", out var decoded))
                yield return new StoredValue(file, key, Convert.FromHexString(hex.GetString()!), decoded.Clone());
            foreach (var property in element.EnumerateObject())
                foreach (var inner in Walk(property.Value, file, property.Name))
                    yield return inner;
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var inner in Walk(item, file, key))
                    yield return inner;
        }
    }

    private static string FindFolder()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "vectors");
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"No golden vectors at {folder}: the build copies tests/vectors there.");
        return folder;
    }

    /// <summary>One value that Python arq stored in Redis.</summary>
    public sealed record StoredValue(string File, string Key, byte[] Bytes, JsonElement Decoded)
    {
        /// <summary>True for an arq:job:* value, false for an arq:result:* value.</summary>
        public bool IsJob => Key.StartsWith("arq:job:", StringComparison.Ordinal);

        /// <inheritdoc/>
        public override string ToString() => $"{File} {Key}";
    }
}
