using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Arq.Generators;

/// <summary>
/// Which MessagePack formatters a job function's types need that MessagePack's dynamic resolvers would otherwise make
/// by reflection: the generic collections (each mapped to the formatter MessagePack's generic resolver picks for it,
/// so the bytes are the same), arrays of anything but the built-in types, nullables and enums, looked for through
/// element types too. Records and classes are left to MessagePack's resolvers (or its own source generator).
/// </summary>
internal static class FormatterTypes
{
    private const string Formatters = "global::MessagePack.Formatters.";

    private static readonly Dictionary<string, string> Collections = new()
    {
        ["System.Collections.Generic.List`1"] = "ListFormatter",
        ["System.Collections.Generic.Dictionary`2"] = "DictionaryFormatter",
        ["System.Collections.Generic.HashSet`1"] = "HashSetFormatter",
        ["System.Collections.Generic.IEnumerable`1"] = "InterfaceEnumerableFormatter",
        ["System.Collections.Generic.ICollection`1"] = "InterfaceCollectionFormatter2",
        ["System.Collections.Generic.IList`1"] = "InterfaceListFormatter2",
        ["System.Collections.Generic.IReadOnlyCollection`1"] = "InterfaceReadOnlyCollectionFormatter",
        ["System.Collections.Generic.IReadOnlyList`1"] = "InterfaceReadOnlyListFormatter",
        ["System.Collections.Generic.ISet`1"] = "InterfaceSetFormatter",
        ["System.Collections.Generic.IDictionary`2"] = "InterfaceDictionaryFormatter",
        ["System.Collections.Generic.IReadOnlyDictionary`2"] = "InterfaceReadOnlyDictionaryFormatter",
    };

    /// <summary>What a method's result is once awaited: T of Task&lt;T&gt; and ValueTask&lt;T&gt;, else the type itself.</summary>
    public static ITypeSymbol Awaited(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
        && MetadataName(named.ConstructedFrom) is "System.Threading.Tasks.Task`1" or "System.Threading.Tasks.ValueTask`1"
            ? named.TypeArguments[0]
            : type;

    /// <summary>Adds to <paramref name="formatters"/> the formatters <paramref name="type"/> and its elements need,
    /// and to <paramref name="emitted"/> the records and classes among them, whose formatters MessagePack emits.</summary>
    public static void Collect(ITypeSymbol type, ISet<string> formatters, ISet<string> emitted)
    {
        switch (type)
        {
            case IArrayTypeSymbol { Rank: 1 } array:
                // The built-in resolver has arrays of primitives, strings and the like (and byte[] is bin).
                if (array.ElementType.SpecialType == SpecialType.None)
                    formatters.Add($"{Formatters}ArrayFormatter<{Name(array.ElementType)}>");
                Collect(array.ElementType, formatters, emitted);
                break;
            case INamedTypeSymbol { TypeKind: TypeKind.Enum } named:
                formatters.Add($"{Formatters}GenericEnumFormatter<{Name(named)}>");
                break;
            case INamedTypeSymbol { IsGenericType: true } named when named.ConstructedFrom.SpecialType == SpecialType.System_Nullable_T:
                var value = named.TypeArguments[0];
                if (value.SpecialType == SpecialType.None) formatters.Add($"{Formatters}NullableFormatter<{Name(value)}>");
                Collect(value, formatters, emitted);
                break;
            case INamedTypeSymbol { IsGenericType: true } named when Collections.TryGetValue(MetadataName(named.ConstructedFrom), out var formatter):
                formatters.Add($"{Formatters}{formatter}<{string.Join(", ", System.Linq.Enumerable.Select(named.TypeArguments, Name))}>");
                foreach (var argument in named.TypeArguments) Collect(argument, formatters, emitted);
                break;
            case INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, SpecialType: SpecialType.None } named when !IsFramework(named):
                emitted.Add(named.ToDisplayString());
                break;
        }
    }

    // The framework's types that cross a job are the built-in resolver's (DateTimeOffset, Guid, TimeSpan, Uri...),
    // and Arq's own are injected (JobContext) or raw (PackedValue).
    private static bool IsFramework(INamedTypeSymbol type) =>
        type.ContainingNamespace.ToDisplayString() is var name
        && (name == "System" || name.StartsWith("System.", System.StringComparison.Ordinal) || name == "Arq" || name.StartsWith("Arq.", System.StringComparison.Ordinal));

    private static string Name(ITypeSymbol type) => type.ToDisplayString(JobFunctionGenerator.TypeFormat);

    private static string MetadataName(INamedTypeSymbol type) => $"{type.ContainingNamespace.ToDisplayString()}.{type.MetadataName}";
}
