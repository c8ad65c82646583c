using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Arq.Generators;

/// <summary>What the generator needs of one job function: values only (no symbols, no syntax), so that the
/// incremental pipeline compares them and does its work again only when a job function changed.</summary>
internal sealed record JobMethod(
    string Type, string Name, bool IsStatic, bool ReturnsVoid, EquatableArray<Parameter> Parameters, bool Reachable, Problem? Problem,
    string DisplayName, LocationInfo? Location, EquatableArray<string> Formatters, EquatableArray<string> EmittedTypes);

internal sealed record Parameter(string Name, string Type);

/// <summary>Why a method cannot be compiled, and the detail its message names.</summary>
internal sealed record Problem(DiagnosticDescriptor Descriptor, string Detail);

/// <summary>A location as values, to rebuild the <see cref="Location"/> of a diagnostic.</summary>
internal sealed record LocationInfo(string Path, TextSpan Span, LinePositionSpan Lines)
{
    public static LocationInfo? From(Location location) =>
        location.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(Path, Span, Lines);
}

/// <summary>An array compared by its items, for the incremental pipeline.</summary>
internal readonly struct EquatableArray<T>(T[] items) : IEquatable<EquatableArray<T>>
{
    public IReadOnlyList<T> Items => items ?? [];

    public bool Equals(EquatableArray<T> other) => Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode() => Items.Aggregate(17, (hash, item) => unchecked(hash * 31 + (item?.GetHashCode() ?? 0)));
}
