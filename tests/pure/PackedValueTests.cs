using Arq.Protocol;
using MessagePack;
using MessagePack.Formatters;

namespace Arq.Tests;

public sealed class PackedValueTests
{
    public sealed record Point(int X, int Y);

    [Fact]
    public void Deserialize_by_type_decodes_as_the_generic_method_does()
    {
        Assert.Equal(42L, PackedValue.From(42).Deserialize(typeof(long)));
        Assert.Equal("text", PackedValue.From("text").Deserialize(typeof(string)));
        Assert.Equal(new Point(1, 2), PackedValue.From(new Point(1, 2)).Deserialize(typeof(Point)));
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1 },
            PackedValue.From(new Dictionary<string, int> { ["a"] = 1 }).Deserialize(typeof(Dictionary<string, int>)));
        Assert.Null(PackedValue.Nil.Deserialize(typeof(string)));
    }

    [Fact]
    public void Deserialize_by_type_fails_on_a_value_of_another_type()
    {
        Assert.Throws<MessagePackSerializationException>(() => PackedValue.From("text").Deserialize(typeof(int)));
    }

    [Fact]
    public void Decoded_maps_compare_keys_with_the_untrusted_data_comparer()
    {
        var map = (Dictionary<object, object?>)PackedValue.From(new Dictionary<object, object?> { [1L] = "a", ["b"] = 2L }).ToObject()!;

        Assert.Equal(ArqMessagePack.Options.Security.GetEqualityComparer<object>().GetType(), map.Comparer.GetType());
        Assert.NotEqual(EqualityComparer<object>.Default.GetType(), map.Comparer.GetType());
        Assert.Equal("a", map[1L]);
        Assert.Equal(2L, map["b"]);
    }

    [Fact]
    public void Map_keys_hash_as_MessagePack_hashes_them_for_untrusted_data_and_the_same_types_are_refused()
    {
        var keys = ArqMessagePack.Options.Security.GetEqualityComparer<object>();
        var messagePack = MessagePackSecurity.UntrustedData.GetEqualityComparer<object>();
        object[] supported = [1L, ulong.MaxValue, 2.5, 0.0, -0.0, double.NaN, true, "key", 'c', 1.5f, (short)3, Guid.Empty, DateTime.UnixEpoch, DateTimeOffset.UnixEpoch];

        foreach (var key in supported) Assert.Equal(messagePack.GetHashCode(key), keys.GetHashCode(key));
        Assert.Equal(keys.GetHashCode(0.0), keys.GetHashCode(-0.0));
        Assert.Throws<TypeAccessException>(() => keys.GetHashCode(new byte[] { 1 }));
        Assert.Throws<TypeAccessException>(() => messagePack.GetHashCode(new byte[] { 1 }));
        var decoded = (Dictionary<object, object?>)PackedValue.From(new Dictionary<object, object?> { [1L] = "one", [2.5] = "half", [true] = "yes" }).ToObject()!;
        Assert.Equal(["one", "half", "yes"], new[] { decoded[1L], decoded[2.5], decoded[true] });
    }

    [Fact]
    public void Formatters_the_generator_names_write_the_bytes_MessagePacks_dynamic_resolvers_write()
    {
        var value = new List<Dictionary<long, DayOfWeek[]>> { new() { [1] = [DayOfWeek.Monday, DayOfWeek.Friday], [-5] = [] } };
        var dynamic = MessagePackSerializerOptions.Standard.WithResolver(MessagePack.Resolvers.ContractlessStandardResolver.Instance);
        var named = MessagePackSerializerOptions.Standard.WithResolver(MessagePack.Resolvers.CompositeResolver.Create(
            [new ListFormatter<Dictionary<long, DayOfWeek[]>>(), new DictionaryFormatter<long, DayOfWeek[]>(), new ArrayFormatter<DayOfWeek>(), new GenericEnumFormatter<DayOfWeek>()],
            [MessagePack.Resolvers.BuiltinResolver.Instance])); // nothing made by reflection

        Assert.Equal(MessagePackSerializer.Serialize(value, dynamic), MessagePackSerializer.Serialize(value, named));
    }

    [Fact]
    public void A_registered_formatter_writes_a_value_typed_object_by_its_runtime_type()
    {
        var value = new HashSet<DayOfWeek> { DayOfWeek.Sunday };
        GeneratedFormatters.Add(new HashSetFormatter<DayOfWeek>());
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);

        Assert.True(GeneratedFormatters.TryWrite(ref writer, value, ArqMessagePack.Options));
        Assert.False(GeneratedFormatters.TryWrite(ref writer, new Point(1, 2), ArqMessagePack.Options));
        writer.Flush();
        Assert.Equal(MessagePackSerializer.Serialize(value, ArqMessagePack.Options), buffer.WrittenSpan.ToArray());
    }
}
