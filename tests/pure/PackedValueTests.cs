using Arq.Protocol;
using MessagePack;

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
}
