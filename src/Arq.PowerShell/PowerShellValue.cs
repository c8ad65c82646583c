using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using Arq.Protocol;

namespace Arq.PowerShell;

/// <summary>
/// Converts between PowerShell's objects and the plain data a job carries: strings, numbers, booleans, null,
/// byte arrays, DateTime, arrays, hashtables and ordered dictionaries, PSCustomObjects. Anything else (a
/// ScriptBlock, a live .NET object) is refused: a job carries data, never code.
/// </summary>
internal static class PowerShellValue
{
    /// <summary>Returns the plain form of <paramref name="value"/>, or throws naming <paramref name="what"/>.</summary>
    public static object? ToPlain(object? value, string what) => ToPlain(value, what, 0);

    /// <param name="value">The value.</param>
    /// <param name="what">What it is, for messages.</param>
    /// <param name="depth">How many lists and maps hold it: a value deeper than the codec's limit, or one that
    /// holds itself, is refused with the limit's message rather than overflowing the stack.</param>
    private static object? ToPlain(object? value, string what, int depth)
    {
        if (value is PSObject wrapped)
        {
            if (wrapped.BaseObject is PSCustomObject) return FromProperties(wrapped, what, depth);
            value = wrapped.BaseObject;
        }
        switch (value)
        {
            case null: return null;
            case string or bool or byte[] or DateTime or DateTimeOffset: return value;
            case sbyte or byte or short or ushort or int or uint or long or ulong or float or double: return value;
            case decimal d: return (double)d;
            case BigInteger big when big >= long.MinValue && big <= ulong.MaxValue: return big < 0 ? (long)big : (ulong)big;
            case char c: return c.ToString();
            case Enum e: return e.ToString();
            case Guid g: return g.ToString();
            case IDictionary dictionary:
                return MapToPlain(dictionary, what, Deeper(depth, what));
            case IList list when value.GetType().IsArray || value is ArrayList || value.GetType().IsGenericType:
                depth = Deeper(depth, what);
                var items = new object?[list.Count];
                for (var i = 0; i < items.Length; i++) items[i] = ToPlain(list[i], $"{what}[{i}]", depth);
                return items;
            default:
                throw new ArgumentException(
                    $"{what} is a {value.GetType().FullName}, which a job cannot carry: use strings, numbers, booleans, " +
                    "$null, byte arrays, DateTime, arrays, hashtables or PSCustomObjects. A job carries data, never code or live objects.");
        }
    }

    /// <summary>The depth of a list's or a map's items; refused past the codec's limit.</summary>
    private static int Deeper(int depth, string what) =>
        depth < ArqMessagePack.MaxDepth ? depth + 1 : throw new ArgumentException($"{what}: {ArqMessagePack.TooDeep}");

    /// <summary>A hashtable's plain form. Its keys keep their kind, as a Python or .NET worker keeps them: an
    /// <c>[int]</c> key stays an integer (any width: 1 and 1L are one key), a string a string. The usual hashtable,
    /// keyed by strings, makes a string-keyed map; a key of another kind moves the entries to a map keyed by
    /// values.</summary>
    private static object MapToPlain(IDictionary dictionary, string what, int depth)
    {
        var named = new Dictionary<string, object?>(dictionary.Count, StringComparer.Ordinal);
        Dictionary<object, object?>? keyed = null;
        foreach (DictionaryEntry entry in dictionary)
        {
            var plainKey = ToPlain(entry.Key, $"A key of {what}", depth);
            var key = plainKey switch
            {
                null => throw new ArgumentException($"{what} has a $null key, which a job cannot carry."),
                object?[] or IDictionary => throw new ArgumentException($"{what} has a key that is an array or a map, which a job cannot carry: use strings or numbers."),
                sbyte or byte or short or ushort or int or uint => Convert.ToInt64(plainKey, CultureInfo.InvariantCulture),
                ulong big when big <= long.MaxValue => (long)big,
                _ => plainKey,
            };
            var value = ToPlain(entry.Value, $"{what}['{key}']", depth);
            if (keyed is null && key is string name)
            {
                named[name] = value;
                continue;
            }
            keyed ??= named.ToDictionary(e => (object)e.Key, e => e.Value);
            if (!keyed.TryAdd(key, value))
                throw new ArgumentException($"{what} has the key '{key}' twice, as numbers of different types.");
        }
        return (object?)keyed ?? named;
    }

    private static Dictionary<string, object?> FromProperties(PSObject custom, string what, int depth)
    {
        depth = Deeper(depth, what);
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in custom.Properties)
            map[property.Name] = ToPlain(property.Value, $"{what}.{property.Name}", depth);
        return map;
    }

    /// <summary>Decodes a job value for the pipeline: string-keyed maps become PSCustomObjects (other maps
    /// dictionaries keyed by the values themselves, in the sender's order), arrays object arrays.</summary>
    /// <exception cref="InvalidDataException">The bytes are not valid data; the message says why ("A string is not
    /// valid UTF-8 ..."), not MessagePack's "Failed to deserialize System.Object value." around it.</exception>
    public static object? FromPacked(PackedValue value)
    {
        object? plain;
        try
        {
            plain = value.ToObject();
        }
        // Named by what it is not: this assembly must not name MessagePack's types, which load in the module's own
        // context. Whatever fails here fails on the value's bytes.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException(ArqMessagePack.Reason(e), e);
        }
        return FromPlain(plain);
    }

    /// <summary>Decodes keyword arguments, keeping their order.</summary>
    public static OrderedDictionary FromKwargs(IReadOnlyDictionary<string, PackedValue>? kwargs)
    {
        var parameters = new OrderedDictionary();
        foreach (var (name, value) in kwargs ?? new Dictionary<string, PackedValue>()) parameters[name] = FromPacked(value);
        return parameters;
    }

    private static object? FromPlain(object? value)
    {
        switch (value)
        {
            case Dictionary<object, object?> map when map.Keys.All(k => k is string):
                var custom = new PSObject();
                foreach (var (key, item) in map) custom.Properties.Add(new PSNoteProperty((string)key, FromPlain(item)));
                return custom;
            case Dictionary<object, object?> map:
                // Not an OrderedDictionary, whose $map[1] is the second entry rather than the key 1. An integer key
                // that fits is an [int], as PowerShell reads the literal 1, so that $map[1] finds it.
                var keyed = new Dictionary<object, object?>(map.Count);
                foreach (var (key, item) in map) keyed[key is long n && n is >= int.MinValue and <= int.MaxValue ? (int)n : key] = FromPlain(item);
                return keyed;
            case object?[] items:
                return items.Select(FromPlain).ToArray();
            default:
                return value;
        }
    }
}
