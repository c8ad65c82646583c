using System.Collections;
using System.Collections.Specialized;
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
    public static object? ToPlain(object? value, string what)
    {
        if (value is PSObject wrapped)
        {
            if (wrapped.BaseObject is PSCustomObject) return FromProperties(wrapped, what);
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
                var map = new Dictionary<string, object?>(dictionary.Count, StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = ToPlain(entry.Key, what) as string ?? Convert.ToString(ToPlain(entry.Key, what), System.Globalization.CultureInfo.InvariantCulture)!;
                    map[key] = ToPlain(entry.Value, $"{what}['{key}']");
                }
                return map;
            case IList list when value.GetType().IsArray || value is ArrayList || value.GetType().IsGenericType:
                var items = new object?[list.Count];
                for (var i = 0; i < items.Length; i++) items[i] = ToPlain(list[i], $"{what}[{i}]");
                return items;
            default:
                throw new ArgumentException(
                    $"{what} is a {value.GetType().FullName}, which a job cannot carry: use strings, numbers, booleans, " +
                    "$null, byte arrays, DateTime, arrays, hashtables or PSCustomObjects. A job carries data, never code or live objects.");
        }
    }

    private static Dictionary<string, object?> FromProperties(PSObject custom, string what)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in custom.Properties)
            map[property.Name] = ToPlain(property.Value, $"{what}.{property.Name}");
        return map;
    }

    /// <summary>Decodes a job value for the pipeline: string-keyed maps become PSCustomObjects (other maps ordered
    /// hashtables), arrays object arrays.</summary>
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
            var reason = e;
            while (reason.InnerException is { } inner) reason = inner;
            throw new InvalidDataException(reason.Message, e);
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
                var ordered = new OrderedDictionary();
                foreach (var (key, item) in map) ordered[key] = FromPlain(item);
                return ordered;
            case object?[] items:
                return items.Select(FromPlain).ToArray();
            default:
                return value;
        }
    }
}
