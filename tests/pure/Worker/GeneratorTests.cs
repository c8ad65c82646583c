using System.Collections.Immutable;
using Arq.Generators;
using Arq.Worker;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Arq.Tests.Worker;

/// <summary>Arq's source generator on the actor shapes the docs show, and on methods it cannot compile: what it
/// writes compiles, and what it refuses it says why.</summary>
public sealed class GeneratorTests
{
    private static (string? Source, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<Diagnostic> Compiled) Run(string code, bool nativeAot = false)
    {
        var references = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => MetadataReference.CreateFromFile(a.Location))
            .Append(MetadataReference.CreateFromFile(typeof(JobFunctionAttribute).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(MessagePack.MessagePackSerializer).Assembly.Location));
        var compilation = CSharpCompilation.Create("Actors", [CSharpSyntaxTree.ParseText(code)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create([new JobFunctionGenerator().AsSourceGenerator()], optionsProvider: new BuildProperties(nativeAot))
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var source = driver.GetRunResult().GeneratedTrees.SingleOrDefault()?.ToString();
        return (source, diagnostics, output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray());
    }

    [Fact]
    public void It_compiles_a_call_of_each_shape_of_job_function_the_docs_show()
    {
        var (source, diagnostics, compiled) = Run("""
            using System.Threading;
            using System.Threading.Tasks;
            using Arq.Worker;
            namespace Shop;
            public sealed record Order(int Id, string Customer);
            [Actor("orders")]
            public sealed class Orders : IActorStartup
            {
                public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
                [JobFunction(MaxTries = 3)] public async Task<int> Count(Order[] orders, CancellationToken cancellationToken) { await Task.Yield(); return orders.Length; }
                [JobFunction(Name = "ship")] public void Ship(int id, string? note = null) { }
                [JobFunction] public static long Twice(long value) => value * 2;
                [JobFunction] public ValueTask<string> Who(JobContext context) => ValueTask.FromResult(context.JobId);
                [Cron("0 3 * * *")] public Task Nightly() => Task.CompletedTask;
                public int NotAJob() => 0;
                [JobFunction] private void Hidden() { }
            }
            public class Outer { private sealed class Nested { [JobFunction] public void Out() { } } }
            """);

        Assert.Empty(diagnostics);
        Assert.Empty(compiled);
        Assert.NotNull(source);
        Assert.Contains("""GeneratedJobFunctions.Register(typeof(global::Shop.Orders), "Count(orders,cancellationToken)",""", source);
        Assert.Contains("""((global::Shop.Orders)target!).Count(arguments.Get<global::Shop.Order[]>(0), arguments.Get<global::System.Threading.CancellationToken>(1))""", source);
        Assert.Contains("""{ ((global::Shop.Orders)target!).Ship(arguments.Get<int>(0), arguments.Get<string?>(1)); return global::Arq.Worker.GeneratedJobFunctions.Return(); }""", source);
        Assert.Contains("""global::Shop.Orders.Twice(arguments.Get<long>(0))""", source);
        Assert.Contains(""""Nightly()"""", source);
        Assert.DoesNotContain("NotAJob", source);
        Assert.DoesNotContain("Hidden", source); // not public: the worker does not register it
        Assert.DoesNotContain("Nested", source); // out of reach: reflection runs it
    }

    [Fact]
    public void It_names_the_formatters_of_the_collections_and_enums_a_job_function_takes_and_returns()
    {
        var (source, diagnostics, compiled) = Run("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Arq.Worker;
            namespace Shop;
            public enum Priority { Low, High }
            public sealed record Order(int Id);
            public sealed class Orders
            {
                [JobFunction] public Task<Dictionary<string, int>> Plan(List<Dictionary<long, Order[]>> batches, IReadOnlyList<long> ids, int[] plain, Priority? priority) => null!;
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Empty(compiled);
        string[] expected =
        [
            "ListFormatter<global::System.Collections.Generic.Dictionary<long, global::Shop.Order[]>>",
            "DictionaryFormatter<long, global::Shop.Order[]>",
            "ArrayFormatter<global::Shop.Order>",
            "InterfaceReadOnlyListFormatter<long>",
            "NullableFormatter<global::Shop.Priority>",
            "GenericEnumFormatter<global::Shop.Priority>",
            "DictionaryFormatter<string, int>", // the awaited result's
        ];
        foreach (var formatter in expected)
            Assert.Contains($"GeneratedJobFunctions.Formatter(new global::MessagePack.Formatters.{formatter}());", source);
        Assert.DoesNotContain("ArrayFormatter<int>", source); // MessagePack's built-in resolver has arrays of primitives
        // The record's own formatter is left to MessagePack's resolvers: only the three collections above name it.
        Assert.Equal(3, source!.Split('\n').Count(line => line.Contains(".Formatter(new") && line.Contains("Shop.Order")));
    }

    [Fact]
    public void A_project_checked_for_Native_AOT_is_told_which_types_it_cannot_decode()
    {
        const string Code = """
            using System.Collections.Generic;
            using Arq.Worker;
            namespace Shop;
            public sealed record Order(int Id);
            public sealed class Orders
            {
                [JobFunction] public Order Copy(List<Order> orders, System.DateTimeOffset at, JobContext context) => orders[0];
                [JobFunction] public long Count(Dictionary<string, long[]> counts) => counts.Count;
            }
            """;

        var (source, diagnostics, _) = Run(Code, nativeAot: true);

        var warning = Assert.Single(diagnostics);
        Assert.Equal("ARQ005", warning.Id);
        Assert.Equal("The job function Orders.Copy takes or returns Shop.Order, which MessagePack 2 reads and writes with code it emits at run time, "
            + "and Native AOT cannot run that code; take its members as parameters, or a dictionary", warning.GetMessage());
        Assert.Contains("\"Copy(orders,at,context)\"", source); // still compiled: the JIT runs it
        Assert.Empty(Run(Code).Diagnostics); // nothing to say where the JIT runs the worker
    }

    private sealed class BuildProperties(bool nativeAot) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
    {
        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions { get; } = new Options(nativeAot);

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(false);

        public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(false);

        private sealed class Options(bool nativeAot) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = nativeAot ? "true" : "";
                return nativeAot && key == "build_property.EnableAotAnalyzer";
            }
        }
    }

    [Theory]
    [InlineData("[JobFunction] public T Echo<T>(T value) => value;", "ARQ001", "The job function Actor.Echo is generic")]
    [InlineData("[JobFunction] public void Add(ref int total) { }", "ARQ002", "The job function Actor.Add takes 'total' by reference")]
    [InlineData("[JobFunction] public void Sum(out int total) { total = 0; }", "ARQ002", "takes 'total' by reference (ref, out or in)")]
    [InlineData("[JobFunction] public int Length(System.ReadOnlySpan<byte> data) => data.Length;", "ARQ003", "(data: System.ReadOnlySpan<byte>)")]
    public void A_method_it_cannot_compile_gets_a_warning_that_says_why(string method, string id, string message)
    {
        var (source, diagnostics, compiled) = Run($"using Arq.Worker; public sealed class Actor {{ {method} }}");

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal((id, DiagnosticSeverity.Warning), (diagnostic.Id, diagnostic.Severity));
        Assert.Contains(message, diagnostic.GetMessage());
        Assert.Equal(1, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Null(source);
        Assert.Empty(compiled);
    }

    [Fact]
    public void A_job_function_of_an_open_generic_actor_gets_a_warning()
    {
        var (source, diagnostics, _) = Run("using Arq.Worker; public sealed class Repository<T> { [JobFunction] public int Count() => 0; }");

        Assert.Equal("ARQ004", Assert.Single(diagnostics).Id);
        Assert.Contains("declared in the generic type Repository", diagnostics[0].GetMessage());
        Assert.Null(source);
    }
}
