using Microsoft.CodeAnalysis;

namespace Arq.Generators;

/// <summary>What the generator says about a job function it cannot compile. Each is a warning: the method still runs
/// by reflection where reflection can run it, and the message says what to change.</summary>
internal static class Diagnostics
{
    private const string Category = "Arq";

    public static readonly DiagnosticDescriptor GenericMethod = new(
        "ARQ001", "A job function cannot be generic",
        "The job function {0} is generic: a job names no type arguments, so nothing can call it; give it concrete parameter types{1}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ByReference = new(
        "ARQ002", "A job function's parameters are values",
        "The job function {0} takes '{1}' by reference (ref, out or in): a job's arguments are values that come from Redis; take it by value",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedType = new(
        "ARQ003", "A job function's parameter type cannot hold a job's argument",
        "The job function {0} has a parameter no job's argument can be decoded into ({1}): use an array, a list, a record or a plain type",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericActor = new(
        "ARQ004", "An actor cannot be an open generic type",
        "The job function {0} is declared in the generic type {1}: the worker registers closed types, so this code is compiled per registration by reflection; declare job functions in a non-generic actor",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotForNativeAot = new(
        "ARQ005", "Native AOT cannot decode this type",
        "The job function {0} takes or returns {1}, which MessagePack 2 reads and writes with code it emits at run time, and Native AOT cannot run that code; take its members as parameters, or a dictionary",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
}
