using System.Collections;
using MessagePack;

namespace Arq.Protocol;

/// <summary>
/// MessagePack's protections for untrusted data (a depth limit, hash-collision-resistant keys), with one change: keys
/// of maps decoded as <see cref="object"/> find their type's resistant comparer by a type test rather than by a
/// generic method made at run time, which Native AOT cannot make for a value type (MessagePack does the latter, so a
/// map with integer keys failed to decode under AOT). The comparers themselves, and the key types they accept, are
/// MessagePack's.
/// </summary>
internal sealed class ArqSecurity : MessagePackSecurity
{
    public static ArqSecurity Untrusted { get; } = new(UntrustedData);

    private readonly KeyComparer keys;

    private ArqSecurity(MessagePackSecurity copyFrom) : base(copyFrom) => keys = new KeyComparer(this);

    protected override MessagePackSecurity Clone() => new ArqSecurity(this);

    protected override IEqualityComparer<T> GetHashCollisionResistantEqualityComparer<T>() =>
        typeof(T) == typeof(object) ? (IEqualityComparer<T>)(object)keys : base.GetHashCollisionResistantEqualityComparer<T>();

    private int Hash<T>(T value) => base.GetHashCollisionResistantEqualityComparer<T>().GetHashCode(value!);

    private sealed class KeyComparer(ArqSecurity security) : IEqualityComparer<object>, IEqualityComparer
    {
        public new bool Equals(object? x, object? y) => EqualityComparer<object>.Default.Equals(x, y);

        public int GetHashCode(object value) => value switch
        {
            string s => security.Hash(s),
            long l => security.Hash(l),
            ulong u => security.Hash(u),
            double d => security.Hash(d),
            bool b => security.Hash(b),
            int i => security.Hash(i),
            uint u => security.Hash(u),
            short s => security.Hash(s),
            ushort u => security.Hash(u),
            sbyte s => security.Hash(s),
            byte b => security.Hash(b),
            char c => security.Hash(c),
            float f => security.Hash(f),
            Guid g => security.Hash(g),
            DateTime t => security.Hash(t),
            DateTimeOffset t => security.Hash(t),
            _ when value.GetType() == typeof(object) => value.GetHashCode(),
            _ => throw new TypeAccessException($"No hash-resistant equality comparer available for type: {value.GetType()}"),
        };
    }
}
