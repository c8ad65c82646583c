using Arq.Protocol;
using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>
/// Values as Python arq's clients send them, byte for byte, run by a .NET worker on Redis: dicts into records and
/// classes, maps with integer keys, and nesting up to the limit every path shares (docs/interop.md, "What differs").
/// </summary>
public class PythonValueTests : WorkerTest
{
    public sealed record Line(string ItemId, int Count);

    public sealed record Order(string Sku, int Quantity, IReadOnlyList<Line>? Lines = null);

    public sealed class Address
    {
        public string? Street { get; set; }

        public required string City { get; init; }
    }

    public sealed class Shop
    {
        [JobFunction]
        public string Describe(Order order) =>
            $"{order.Sku} x{order.Quantity}{string.Concat((order.Lines ?? []).Select(l => $" {l.ItemId}:{l.Count}"))}";

        [JobFunction]
        public string Ship(Address to) => $"{to.Street} in {to.City}";

        [JobFunction]
        public Dictionary<long, string> Swap(Dictionary<long, string> map) => map.ToDictionary(e => e.Key * 10, e => e.Value);

        [JobFunction]
        public object? Echo(object? value) => value;
    }

    /// <summary>Puts a job with the arguments exactly as given, as a Python client writes it, on the default queue.</summary>
    private async Task<string> EnqueueAsPythonAsync(string function, params byte[][] args)
    {
        var id = Guid.NewGuid().ToString("N");
        var job = new JobMessage(function, args.Select(a => new PackedValue(a)).ToList(), new Dictionary<string, PackedValue>(), NowMs());
        await Redis.StringSetAsync(ArqKeys.Job(id), job.Encode());
        await Redis.SortedSetAddAsync(ArqKeys.DefaultQueue, id, NowMs());
        return id;
    }

    private static byte[] Dict(params (string Key, object Value)[] entries) =>
        PackedValue.From(entries.ToDictionary(e => e.Key, e => e.Value)).Bytes.ToArray();

    private async Task<string> ErrorOfAsync(string id)
    {
        var result = await StoredResultAsync(id);
        Assert.False(result.Success);
        return result.Result.Deserialize<string>();
    }

    [Fact]
    public async Task A_python_dict_binds_to_a_records_members_by_the_keyword_rules()
    {
        Functions.AddActor<Shop>();
        // msgpack.packb({'sku': 'x', 'quantity': 2}), as Python writes it.
        byte[] python = [0x82, 0xa3, (byte)'s', (byte)'k', (byte)'u', 0xa1, (byte)'x', 0xa8, .. "quantity"u8, 0x02];
        Assert.Equal(python, Dict(("sku", "x"), ("quantity", 2)));
        var simple = await EnqueueAsPythonAsync("Shop.Describe", python);
        var nested = await EnqueueAsPythonAsync("Shop.Describe", Dict(("sku", "y"), ("quantity", 1),
            ("lines", new object[] { new Dictionary<string, object> { ["item_id"] = "a", ["count"] = 3 } })));
        var shipped = await EnqueueAsPythonAsync("Shop.Ship", Dict(("street", "Main St"), ("CITY", "Springfield")));

        await RunBurstAsync();

        Assert.Equal("x x2", (await StoredResultAsync(simple)).Result.Deserialize<string>());
        Assert.Equal("y x1 a:3", (await StoredResultAsync(nested)).Result.Deserialize<string>());
        Assert.Equal("Main St in Springfield", (await StoredResultAsync(shipped)).Result.Deserialize<string>());
    }

    [Fact]
    public async Task A_key_that_matches_no_member_or_a_required_member_without_a_key_fails_the_job_naming_it()
    {
        Functions.AddActor<Shop>();
        var unknown = await EnqueueAsPythonAsync("Shop.Describe", Dict(("sku", "x"), ("qty", 2)));
        var missing = await EnqueueAsPythonAsync("Shop.Describe", Dict(("sku", "x")));
        var missingInside = await EnqueueAsPythonAsync("Shop.Describe", Dict(("sku", "x"), ("quantity", 1),
            ("lines", new object[] { new Dictionary<string, object> { ["item_id"] = "a" } })));
        var required = await EnqueueAsPythonAsync("Shop.Ship", Dict(("street", "Main St")));

        var summary = await RunBurstAsync();

        Assert.Equal("ArgumentBindingError: Shop.Describe: the argument 'order' has no member 'qty'; its members are: Sku, Quantity, Lines.", await ErrorOfAsync(unknown));
        Assert.Equal("ArgumentBindingError: Shop.Describe: the argument 'order' is missing its member 'Quantity' (Int32).", await ErrorOfAsync(missing));
        Assert.Equal("ArgumentBindingError: Shop.Describe: the argument 'order.Lines[0]' is missing its member 'Count' (Int32).", await ErrorOfAsync(missingInside));
        Assert.Equal("ArgumentBindingError: Shop.Ship: the argument 'to' is missing its member 'City' (String).", await ErrorOfAsync(required));
        Assert.Equal(4, summary.Failed);
    }

    [Fact]
    public async Task Integer_map_keys_stay_integers_through_a_dotnet_actor()
    {
        Functions.AddActor<Shop>();
        // msgpack.packb({1: 'a', 2: 'b'}): a Python worker reads it only with strict_map_key=False.
        var id = await EnqueueAsPythonAsync("Shop.Swap", [0x82, 0x01, 0xa1, (byte)'a', 0x02, 0xa1, (byte)'b']);

        await RunBurstAsync();

        Assert.Equal([0x82, 0x0a, 0xa1, (byte)'a', 0x14, 0xa1, (byte)'b'], (await StoredResultAsync(id)).Result.Bytes.ToArray());
    }

    private static byte[] Nested(int depth) => [.. Enumerable.Repeat((byte)0x91, depth), 0x01]; // [[...[1]...]]

    [Fact]
    public async Task A_value_nests_as_deep_as_the_limit_on_every_path_and_one_level_more_fails_naming_it()
    {
        Functions.AddActor<Shop>();
        var deepest = await EnqueueAsPythonAsync("Shop.Echo", Nested(ArqMessagePack.MaxDepth));
        var tooDeep = await EnqueueAsPythonAsync("Shop.Echo", Nested(ArqMessagePack.MaxDepth + 1));
        object? value = 1;
        for (var i = 0; i < ArqMessagePack.MaxDepth + 1; i++) value = new[] { value };
        var selfHolding = new object?[1];
        selfHolding[0] = selfHolding;

        var summary = await RunBurstAsync();
        var enqueue = await Assert.ThrowsAsync<ArgumentException>(() => Client.EnqueueAsync("Shop.Echo", value));
        var cyclic = await Assert.ThrowsAsync<ArgumentException>(() => Client.EnqueueAsync("Shop.Echo", [selfHolding]));

        Assert.Equal(Nested(ArqMessagePack.MaxDepth), (await StoredResultAsync(deepest)).Result.Bytes.ToArray());
        const string limit = "A value nests deeper than 512 levels, the most Arq takes (ArqMessagePack.MaxDepth).";
        Assert.Equal($"ArgumentBindingError: Shop.Echo: the argument 'value' is not valid: {limit}", await ErrorOfAsync(tooDeep));
        Assert.EndsWith(limit, enqueue.Message);
        Assert.EndsWith(limit, cyclic.Message);
        Assert.Equal((1, 1), (summary.Complete, summary.Failed));
    }
}
