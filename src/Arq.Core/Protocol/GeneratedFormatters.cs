using System.Collections.Concurrent;
using MessagePack;
using MessagePack.Formatters;

namespace Arq.Protocol;

/// <summary>
/// The formatters Arq's source generator names for the collection types its job functions take and return (lists,
/// dictionaries, arrays of them, nullables and enums), made by the generated code rather than by MessagePack's
/// dynamic resolvers, which make them by reflection (and which Native AOT cannot run). The same formatters those
/// resolvers would make: the bytes do not change. First among <see cref="ArqMessagePack.Options"/>'s resolvers.
/// </summary>
internal sealed class GeneratedFormatters : IFormatterResolver
{
    public static readonly GeneratedFormatters Instance = new();

    private delegate void Writer(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options);

    // By runtime type, for values typed object (a job's result): written through the formatter without a generic
    // method made at run time.
    private static readonly ConcurrentDictionary<Type, Writer> Writers = new();

    public static void Add<T>(IMessagePackFormatter<T> formatter)
    {
        if (Cache<T>.Formatter is not null) return;
        Cache<T>.Formatter = formatter;
        Writers.TryAdd(typeof(T), (ref MessagePackWriter writer, object value, MessagePackSerializerOptions options) => formatter.Serialize(ref writer, (T)value, options));
    }

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    /// <summary>Writes <paramref name="value"/> with the formatter registered for its runtime type, if there is one.</summary>
    public static bool TryWrite(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options)
    {
        if (!Writers.TryGetValue(value.GetType(), out var write)) return false;
        write(ref writer, value, options);
        return true;
    }

    private static class Cache<T>
    {
        public static IMessagePackFormatter<T>? Formatter;
    }
}
