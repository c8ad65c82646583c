using System.Diagnostics.CodeAnalysis;
using System.Buffers;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Arq.Protocol;
using MessagePack;

namespace Arq;

/// <summary>
/// One MessagePack-encoded value (a job argument or a result), kept as its bytes and decoded only when asked,
/// straight into the type the caller needs.
/// </summary>
public readonly struct PackedValue
{
    private static readonly ReadOnlyMemory<byte> NilBytes = new byte[] { MessagePackCode.Nil };
    private readonly ReadOnlyMemory<byte> bytes;

    /// <summary>Wraps bytes that hold exactly one MessagePack value.</summary>
    public PackedValue(ReadOnlyMemory<byte> bytes) => this.bytes = bytes;

    /// <summary>The encoded nil value.</summary>
    public static PackedValue Nil => new(NilBytes);

    /// <summary>The encoded bytes (nil when the value was never set).</summary>
    public ReadOnlyMemory<byte> Bytes => bytes.IsEmpty ? NilBytes : bytes;

    /// <summary>The MessagePack type of the value, read from its first byte.</summary>
    public MessagePackType Type => new MessagePackReader(Bytes).NextMessagePackType;

    /// <summary>Encodes <paramref name="value"/> with <see cref="ArqMessagePack.Options"/>.</summary>
    /// <exception cref="MessagePackSerializationException">The value's type cannot be encoded.</exception>
    public static PackedValue From(object? value) => new(MessagePackSerializer.Serialize(value, ArqMessagePack.Options));

    /// <summary>Encodes <paramref name="value"/> as <typeparamref name="T"/>.</summary>
    public static PackedValue From<T>(T value) => new(MessagePackSerializer.Serialize(value, ArqMessagePack.Options));

    /// <summary>Decodes the value into <typeparamref name="T"/>.</summary>
    /// <exception cref="MessagePackSerializationException">The value does not fit <typeparamref name="T"/>.</exception>
    public T Deserialize<T>() => MessagePackSerializer.Deserialize<T>(Bytes, ArqMessagePack.Options);

    /// <summary>Decodes the value into <paramref name="type"/>.</summary>
    /// <exception cref="MessagePackSerializationException">The value does not fit <paramref name="type"/>.</exception>
    public object? Deserialize(Type type) => RuntimeFeature.IsDynamicCodeSupported
        ? Decoders.GetOrAdd(type, CreateDecoder)(this)
        : MessagePackSerializer.Deserialize(type, Bytes, ArqMessagePack.Options);

    // MessagePack's own Deserialize(Type, ...) compiles eight expression trees per type on first use, which costs a
    // cold worker tens of milliseconds; a delegate to the generic method costs next to nothing, where code can be
    // made at run time (under Native AOT the trees are interpreted instead).
    private static readonly ConcurrentDictionary<Type, Func<PackedValue, object?>> Decoders = new();

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The generic decoder is made only where dynamic code is supported (see the caller).")]
    private static Func<PackedValue, object?> CreateDecoder(Type type) =>
        typeof(PackedValue).GetMethod(nameof(DeserializeBoxed), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).CreateDelegate<Func<PackedValue, object?>>();

    private static object? DeserializeBoxed<T>(PackedValue value) => value.Deserialize<T>();

    /// <summary>
    /// Decodes the value into plain objects: null, bool, long (ulong above its range), double, string, byte[],
    /// DateTime, object?[] and Dictionary&lt;object, object?&gt;.
    /// </summary>
    public object? ToObject() => Deserialize<object?>();

    /// <summary>Reads the next value of <paramref name="reader"/> without decoding it.</summary>
    internal static PackedValue Read(ref MessagePackReader reader)
    {
        var raw = reader.ReadRaw();
        return new PackedValue(raw.IsSingleSegment ? raw.First : raw.ToArray());
    }

    /// <summary>Shows the value as JSON-like text, for logs and error messages; never throws, whatever the bytes.</summary>
    public override string ToString()
    {
        try
        {
            return MessagePackSerializer.ConvertToJson(Bytes, ArqMessagePack.Options);
        }
        catch (Exception e) when (e is MessagePackSerializationException or InsufficientExecutionStackException or EndOfStreamException)
        {
            return $"<{Bytes.Length} bytes that do not read as MessagePack>";
        }
    }
}
