using Arq.Testing;
using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>The binding rules on both paths: the calls Arq's source generator compiled for this project's actors,
/// and reflection, which runs them with <c>UseGeneratedCode</c> off. Same jobs, same results, same errors.</summary>
public sealed class BindingPathTests
{
    public sealed record Order(int Id, string Customer, double Total = 0);

    public sealed class Shop
    {
        [JobFunction]
        public string Describe(string customer, int count = 1, bool gift = false) => $"{count}x for {customer}{(gift ? " (gift)" : "")}";

        [JobFunction]
        public async Task<double> Total(Order[] orders, CancellationToken cancellationToken)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            return orders.Sum(o => o.Total);
        }

        [JobFunction]
        public ValueTask<string> Who(JobContext context, string? note = null) => ValueTask.FromResult($"{context.Function} {note ?? "-"}");

        [JobFunction]
        public void Nothing()
        {
        }

        [JobFunction]
        public static long Twice(long value) => value * 2;

        [JobFunction]
        public DateTime Later(DateTime when = default, TimeSpan by = default) => when + by;
    }

    private static readonly (string Function, object?[] Args, Dictionary<string, object?>? Kwargs)[] Jobs =
    [
        ("Shop.Describe", ["ann"], null),
        ("Shop.Describe", ["bob", 3], new() { ["gift"] = true }),
        ("Shop.Describe", [], new() { ["Customer"] = "cy", ["COUNT"] = 2 }),
        ("Shop.Total", [new[] { new Dictionary<string, object?> { ["id"] = 1, ["customer"] = "a", ["total"] = 2.5 }, new() { ["id"] = 2, ["customer"] = "b" } }], null),
        ("Shop.Who", [], new() { ["note"] = "hi" }),
        ("Shop.Nothing", [], null),
        ("Shop.Twice", [21], null),
        ("Shop.Later", [], null),
        // What does not fit: the same errors on both paths.
        ("Shop.Describe", [], null),
        ("Shop.Describe", ["ann", "many"], null),
        ("Shop.Describe", ["ann", 1, true, "extra"], null),
        ("Shop.Describe", ["ann"], new() { ["customer"] = "twice" }),
        ("Shop.Describe", ["ann"], new() { ["colour"] = "red" }),
        ("Shop.Total", [new[] { new Dictionary<string, object?> { ["id"] = 1, ["customer"] = "a", ["size"] = 2 } }], null),
        ("Shop.Twice", [], null),
    ];

    private static async Task<List<string>> RunAsync(bool generated)
    {
        var harness = new ArqTestHarness(new FunctionRegistry { UseGeneratedCode = generated }.AddActor<Shop>());
        var ids = Jobs.Select(job => harness.Broker.Enqueue(job.Function, job.Args, job.Kwargs)!).ToList();
        await harness.RunAsync();
        return ids.Select(id => harness.Broker.GetResult(id) is { } result
            ? result.Success ? $"ok {result.Result}" : $"{result.Error!.Type}: {result.Error.Message}"
            : "no result").ToList();
    }

    [Fact]
    public async Task Generated_calls_and_reflection_give_the_same_results_and_the_same_errors()
    {
        var generated = await RunAsync(generated: true);
        var reflected = await RunAsync(generated: false);

        Assert.Equal(reflected, generated);
        Assert.Equal(
        [
            "ok \"1x for ann\"", "ok \"3x for bob (gift)\"", "ok \"2x for cy\"", "ok 2.5", "ok \"Shop.Who hi\"", "ok null", "ok 42",
            "ok \"0001-01-01T00:00:00.0000000Z\"",
            "ArgumentBindingError: Shop.Describe is missing the argument 'customer' (String).",
            "ArgumentBindingError: Shop.Describe: the argument 'count' expects Int32, but the job has String \"many\".",
            "ArgumentBindingError: Shop.Describe takes 3 argument(s) but the job has 4 positional ones.",
            "ArgumentBindingError: Shop.Describe got the argument 'customer' both by position and by name.",
            "ArgumentBindingError: Shop.Describe has no parameter named 'colour'; its parameters are: customer, count, gift.",
            "ArgumentBindingError: Shop.Total: the argument 'orders[0]' has no member 'size'; its members are: Id, Customer, Total.",
            "ArgumentBindingError: Shop.Twice is missing the argument 'value' (Int64).",
        ], generated);
    }

    [Fact]
    public void The_generator_compiled_every_job_function_of_this_projects_actors()
    {
        var functions = new FunctionRegistry().AddActor<Shop>();
        var off = new FunctionRegistry { UseGeneratedCode = false }.AddActor<Shop>();

        Assert.All(functions.Names, name => Assert.True(Compiled(functions, name), $"{name} is compiled"));
        Assert.All(off.Names, name => Assert.False(Compiled(off, name), $"{name} runs by reflection"));
    }

    private static bool Compiled(FunctionRegistry functions, string name) =>
        functions.TryGet(name, out var function) && ((MethodJobFunction)function).IsGenerated;
}
