using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Arq.Generators;

/// <summary>
/// For every <c>[JobFunction]</c> and <c>[Cron]</c> method it sees, writes a call of the method with each argument
/// decoded by its parameter's static type (<c>JobArguments.Get&lt;T&gt;</c>), registered with
/// <c>GeneratedJobFunctions</c> when the assembly loads: the worker then calls the method without reflection. The
/// binding rules and their errors stay in Arq.Core's binder, which both paths share. A method it cannot call so gets a
/// diagnostic that says why, and runs by reflection as before.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class JobFunctionGenerator : IIncrementalGenerator
{
    private const string JobFunctionAttribute = "Arq.Worker.JobFunctionAttribute";
    private const string CronAttribute = "Arq.Worker.CronAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var jobs = context.SyntaxProvider.ForAttributeWithMetadataName(JobFunctionAttribute, IsMethod, Describe);
        var crons = context.SyntaxProvider.ForAttributeWithMetadataName(CronAttribute, IsMethod, Describe);
        // Whether the project is checked for Native AOT (PublishAot or IsAotCompatible turn the analyzer on).
        var nativeAot = context.AnalyzerConfigOptionsProvider.Select((options, _) =>
            options.GlobalOptions.TryGetValue("build_property.EnableAotAnalyzer", out var enabled) && string.Equals(enabled, "true", StringComparison.OrdinalIgnoreCase));
        var all = jobs.Collect().Combine(crons.Collect()).Combine(nativeAot);
        context.RegisterSourceOutput(all, (output, found) => Emit(output, found.Left.Left.AddRange(found.Left.Right), found.Right));
    }

    private static bool IsMethod(SyntaxNode node, System.Threading.CancellationToken _) => node is MethodDeclarationSyntax;

    private static JobMethod Describe(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken _)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var type = method.ContainingType;
        var location = LocationInfo.From(context.TargetNode.GetLocation());
        var name = $"{type.Name}.{method.Name}";
        var parameters = method.Parameters.Select(p => new Parameter(p.Name, p.Type.ToDisplayString(TypeFormat))).ToArray();
        var formatters = new SortedSet<string>(StringComparer.Ordinal);
        var emitted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var parameter in method.Parameters) FormatterTypes.Collect(parameter.Type, formatters, emitted);
        FormatterTypes.Collect(FormatterTypes.Awaited(method.ReturnType), formatters, emitted);
        return new JobMethod(type.ToDisplayString(TypeFormat), method.Name, method.IsStatic, method.ReturnsVoid,
            new EquatableArray<Parameter>(parameters), Reachable(method, type), Problem(method, type), name, location,
            new EquatableArray<string>(formatters.ToArray()), new EquatableArray<string>(emitted.ToArray()));
    }

    /// <summary>Whether generated code in the same assembly can call the method: the worker registers public methods
    /// only, and a type nested private or protected is out of reach (reflection runs it, as it always has).</summary>
    private static bool Reachable(IMethodSymbol method, INamedTypeSymbol type)
    {
        if (method.DeclaredAccessibility != Accessibility.Public) return false;
        for (var outer = type; outer is not null; outer = outer.ContainingType)
            if (outer.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                return false;
        return true;
    }

    /// <summary>Why the method cannot be called from generated code, or null.</summary>
    private static Problem? Problem(IMethodSymbol method, INamedTypeSymbol type)
    {
        for (var outer = type; outer is not null; outer = outer.ContainingType)
            if (outer.TypeParameters.Length > 0) return new Problem(Diagnostics.GenericActor, outer.Name);
        if (method.IsGenericMethod) return new Problem(Diagnostics.GenericMethod, "");
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None) return new Problem(Diagnostics.ByReference, parameter.Name);
            if (parameter.Type.IsRefLikeType || parameter.Type.TypeKind == TypeKind.Pointer || parameter.Type.TypeKind == TypeKind.FunctionPointer)
                return new Problem(Diagnostics.UnsupportedType, $"{parameter.Name}: {parameter.Type.ToDisplayString()}");
        }
        return null;
    }

    internal static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static void Emit(SourceProductionContext output, ImmutableArray<JobMethod> methods, bool nativeAot)
    {
        var callable = new List<JobMethod>();
        foreach (var method in methods.Distinct())
        {
            if (method.Problem is { } problem)
                output.ReportDiagnostic(Diagnostic.Create(problem.Descriptor, method.Location?.ToLocation(), method.DisplayName, problem.Detail));
            else if (method.Reachable) callable.Add(method);
            if (nativeAot && method.EmittedTypes.Items.Count > 0)
                output.ReportDiagnostic(Diagnostic.Create(Diagnostics.NotForNativeAot, method.Location?.ToLocation(), method.DisplayName, string.Join(", ", method.EmittedTypes.Items)));
        }
        if (callable.Count == 0) return;
        var source = new StringBuilder();
        source.AppendLine("// <auto-generated>Arq's source generator: compiled calls of job functions.</auto-generated>");
        source.AppendLine("#nullable enable");
        source.AppendLine("namespace Arq.Generated");
        source.AppendLine("{");
        source.AppendLine("    internal static class JobFunctions");
        source.AppendLine("    {");
        source.AppendLine("        [global::System.Runtime.CompilerServices.ModuleInitializer]");
        source.AppendLine("        internal static void Register()");
        source.AppendLine("        {");
        // The formatters of the collection types they take and return: made here, not by MessagePack's reflection.
        foreach (var formatter in callable.SelectMany(m => m.Formatters.Items).Distinct().OrderBy(f => f, StringComparer.Ordinal))
            source.AppendLine($"            global::Arq.Worker.GeneratedJobFunctions.Formatter(new {formatter}());");
        foreach (var method in callable.OrderBy(m => m.Type).ThenBy(m => m.Name).ThenBy(m => Key(m)))
        {
            var arguments = string.Join(", ", method.Parameters.Items.Select((p, i) => $"arguments.Get<{p.Type}>({i})"));
            var call = method.IsStatic ? $"{method.Type}.{method.Name}({arguments})" : $"(({method.Type})target!).{method.Name}({arguments})";
            // Overloads of Return pick the await by the method's return type: Task, Task<T>, ValueTask(<T>), a value.
            var body = method.ReturnsVoid ? $"{{ {call}; return global::Arq.Worker.GeneratedJobFunctions.Return(); }}"
                : $"global::Arq.Worker.GeneratedJobFunctions.Return({call})";
            source.AppendLine($"            global::Arq.Worker.GeneratedJobFunctions.Register(typeof({method.Type}), \"{Key(method)}\",");
            source.AppendLine($"                static (target, arguments) => {body});");
        }
        source.AppendLine("        }");
        source.AppendLine("    }");
        source.AppendLine("}");
        output.AddSource("Arq.JobFunctions.g.cs", source.ToString());
    }

    /// <summary>The method as the runtime names it: <c>Name(first,second)</c> (GeneratedJobFunctions.Key).</summary>
    private static string Key(JobMethod method) => $"{method.Name}({string.Join(",", method.Parameters.Items.Select(p => p.Name))})";
}
