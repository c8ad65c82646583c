using System.Diagnostics.CodeAnalysis;
using System.Buffers;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using MessagePack;
using MessagePack.Formatters;

namespace Arq.Protocol;

/// <summary>
/// Writes and reads values typed <see cref="object"/> the way Python's msgpack does: integers in their smallest
/// encoding (MessagePack's own primitive formatter keeps the CLR width, so a boxed 1 would become int32), and on
/// reading, integers as <see cref="long"/>, floats as <see cref="double"/>, arrays as <c>object?[]</c>, maps as
/// <c>Dictionary&lt;object, object?&gt;</c> and the timestamp extension as a UTC <see cref="DateTime"/>.
/// Every other type goes to the resolver by its runtime type; no type name is ever written or read.
/// </summary>
internal sealed class PlainObjectFormatter : IMessagePackFormatter<object?>
{
    public static readonly PlainObjectFormatter Instance = new();

    /// <summary>How deep the value being written on this thread is: writing is synchronous, one value at a time.</summary>
    [ThreadStatic]
    private static int writeDepth;

    public void Serialize(ref MessagePackWriter writer, object? value, MessagePackSerializerOptions options)
    {
        switch (value)
        {
            case null: writer.WriteNil(); break;
            case bool b: writer.Write(b); break;
            case string s: writer.Write(s); break;
            case int i: writer.Write(i); break;
            case long l: writer.Write(l); break;
            case double d: writer.Write(d); break;
            case byte[] bytes: writer.Write(bytes); break;
            case sbyte or short: writer.Write(Convert.ToInt64(value)); break;
            case byte or ushort or uint or ulong: writer.Write(Convert.ToUInt64(value)); break;
            case float f: writer.Write(f); break;
            case DateTime date: TimestampFormatter.Instance.Serialize(ref writer, date, options); break;
            case DateTimeOffset date: TimestampFormatter.Instance.Serialize(ref writer, date, options); break;
            default:
                var type = value.GetType();
                if (type == typeof(object))
                    throw new MessagePackSerializationException("A bare System.Object has no data to encode.");
                // A list or map counts a level, as reading it will: a deeper one, or one that holds itself, is refused
                // here rather than written for no worker to read, or overflowing the stack.
                if (writeDepth >= options.Security.MaximumObjectGraphDepth)
                    throw new ArqDataException(ArqMessagePack.TooDeep); // MessagePackSerializer wraps it, as on reading
                writeDepth++;
                try
                {
                    if (RuntimeFeature.IsDynamicCodeSupported) Writers.GetOrAdd(type, CreateWriter)(ref writer, value, options);
                    else if (!GeneratedFormatters.TryWrite(ref writer, value, options)) MessagePackSerializer.Serialize(type, ref writer, value, options);
                }
                finally
                {
                    writeDepth--;
                }
                break;
        }
    }

    private delegate void Writer(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options);

    // The resolver's formatter for each runtime type, called straight rather than through MessagePackSerializer,
    // which wraps every nested failure in an exception of its own: at hundreds of levels those nested throws alone
    // would overflow the stack. Native AOT cannot make these delegates: there a generated formatter writes the value
    // (GeneratedFormatters), else the serializer.
    private static readonly ConcurrentDictionary<Type, Writer> Writers = new();

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The generic writer is made only where dynamic code is supported (see the caller).")]
    private static Writer CreateWriter(Type type) =>
        typeof(PlainObjectFormatter).GetMethod(nameof(WriteAs), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).CreateDelegate<Writer>();

    private static void WriteAs<T>(ref MessagePackWriter writer, object value, MessagePackSerializerOptions options) =>
        options.Resolver.GetFormatterWithVerify<T>().Serialize(ref writer, (T)value, options);

    // The decoding loops are compiled fully optimized at once: a cold worker would otherwise decode its first
    // thousands of arguments with unoptimized code before tiered compilation catches up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public object? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    var unsigned = reader.ReadUInt64();
                    return unsigned <= long.MaxValue ? (long)unsigned : unsigned;
                }
                return reader.ReadInt64();
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return StrictStringFormatter.Read(ref reader);
            case MessagePackType.Binary:
                return reader.ReadBytes()?.ToArray();
            case MessagePackType.Extension:
                var header = reader.CreatePeekReader().ReadExtensionFormatHeader();
                if (header.TypeCode != ReservedMessagePackExtensionTypeCode.DateTime)
                    throw new ArqDataException($"MessagePack extension type {header.TypeCode} is not supported; only the timestamp extension (-1) is.");
                return TimestampFormatter.Read(ref reader);
            case MessagePackType.Array:
                return ReadArray(ref reader, options);
            case MessagePackType.Map:
                return ReadMap(ref reader, options);
            default:
                throw new ArqDataException($"Invalid MessagePack code 0x{reader.NextCode:x2}.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private object?[] ReadArray(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var count = reader.ReadArrayHeader();
        var items = new object?[count];
        DepthStep(ref reader, options);
        try
        {
            for (var i = 0; i < count; i++) items[i] = Deserialize(ref reader, options);
        }
        finally { reader.Depth--; }
        return items;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dictionary<object, object?> ReadMap(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var count = reader.ReadMapHeader();
        // The security settings' comparer: with untrusted data, keys crafted to collide cannot make it quadratic.
        var map = new Dictionary<object, object?>(count, options.Security.GetEqualityComparer<object>());
        DepthStep(ref reader, options);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var key = Deserialize(ref reader, options)
                    ?? throw new ArqDataException("A map key is nil.");
                if (key is object?[] or Dictionary<object, object?>)
                    throw new ArqDataException("A map key is an array or a map.");
                if (!map.TryAdd(key, Deserialize(ref reader, options)))
                    throw new ArqDataException($"A map has the key '{key}' twice.");
            }
        }
        finally { reader.Depth--; }
        return map;
    }

    /// <summary>MessagePack's depth step, with an error that names Arq's limit.</summary>
    private static void DepthStep(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.Depth >= options.Security.MaximumObjectGraphDepth)
            throw new ArqDataException(ArqMessagePack.TooDeep);
        reader.Depth++;
    }
}
