using System.Diagnostics.CodeAnalysis;
using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Serialization;
using MessagePack;

namespace Arq.Worker;

/// <summary>
/// Binds a map to a record's or a class's members by the rules keyword arguments follow: a key finds the member of
/// that name, else the one whose name matches ignoring case and underscores (Python's <c>order_id</c> fills C#'s
/// <c>OrderId</c>). A key that matches no member, or a required member (a constructor parameter without a default, or
/// a <c>required</c> property) with no key, is an error that names it, rather than a member silently left at its
/// default. Nested objects, and lists and dictionaries of them, follow the same rules. Types that name their own keys
/// (<c>[MessagePackObject]</c>, <c>[DataContract]</c>) are left to them.
/// </summary>
/// <remarks>It reads the public members and interfaces of parameter types and of their members' types, which cannot be
/// annotated for the trimmer; MessagePack's contractless resolver reads the same members to decode the value, so a
/// trimmed app without them could not decode it either, and here it gets an error that names the member.</remarks>
[UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Reads what MessagePack's resolver reads to decode the same type; see remarks.")]
internal static class MemberMatcher
{
    private static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    /// <summary>Whether values of <paramref name="type"/> need their keys matched: an object type, or a collection
    /// that holds one.</summary>
    public static bool Applies(Type type) => Shapes.GetOrAdd(type, Shape.Of).Kind != ShapeKind.Plain;

    /// <summary>The value with each map's keys renamed to the members they match.</summary>
    /// <param name="value">The argument.</param>
    /// <param name="type">The parameter's type.</param>
    /// <param name="function">The function, for messages.</param>
    /// <param name="parameter">The parameter's name, which messages start the member's path with.</param>
    /// <exception cref="ArgumentBindingException">A key matches no member, or a required member has no key.</exception>
    public static PackedValue Match(PackedValue value, Type type, string function, string parameter) =>
        PackedValue.From(Rename(value.ToObject(), type, function, parameter));

    private static object? Rename(object? value, Type type, string function, string path)
    {
        var shape = Shapes.GetOrAdd(type, Shape.Of);
        switch (shape.Kind)
        {
            case ShapeKind.Object when value is Dictionary<object, object?> map:
                var renamed = new Dictionary<object, object?>(map.Count);
                foreach (var (key, item) in map)
                {
                    var member = key is string name ? shape.Find(name) : null;
                    if (member is null)
                        throw ArgumentBindingException.NoSuchMember(function, $"'{path}'", $"{key}", shape.Members.Select(m => m.Name));
                    if (!renamed.TryAdd(member.Name, Rename(item, member.Type, function, $"{path}.{member.Name}")))
                        throw new ArgumentBindingException($"{function}: the argument '{path}' gives the member '{member.Name}' twice.");
                }
                if (shape.Members.FirstOrDefault(m => m.Required && !renamed.ContainsKey(m.Name)) is { } missing)
                    throw ArgumentBindingException.MissingMember(function, $"'{path}'", missing.Name, ArgumentBinder.TypeName(missing.Type));
                return renamed;
            case ShapeKind.List when value is object?[] items:
                return items.Select((item, i) => Rename(item, shape.Element!, function, $"{path}[{i}]")).ToArray();
            case ShapeKind.Dictionary when value is Dictionary<object, object?> map:
                return map.ToDictionary(e => e.Key, e => Rename(e.Value, shape.Element!, function, $"{path}[{e.Key}]"));
            default:
                return value; // not of the shape the type wants: the decoder says what is wrong
        }
    }

    private enum ShapeKind { Plain, Object, List, Dictionary }

    private sealed record Member(string Name, Type Type, bool Required);

    private sealed class Shape
    {
        public ShapeKind Kind { get; private init; }
        public Type? Element { get; private init; }
        public IReadOnlyList<Member> Members { get; private init; } = [];

        public Member? Find(string key) =>
            Members.FirstOrDefault(m => m.Name == key) ?? Members.FirstOrDefault(m => ArgumentBinder.Loose(m.Name) == ArgumentBinder.Loose(key));

        public static Shape Of(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (IsPlain(type)) return new Shape();
            if (type.IsArray) return Holding(ShapeKind.List, type.GetElementType()!);
            if ((Generic(type, typeof(IDictionary<,>)) ?? Generic(type, typeof(IReadOnlyDictionary<,>))) is { } dictionary)
                return Holding(ShapeKind.Dictionary, dictionary.GetGenericArguments()[1]);
            if (Generic(type, typeof(IEnumerable<>)) is { } sequence) return Holding(ShapeKind.List, sequence.GetGenericArguments()[0]);
            if (typeof(IEnumerable).IsAssignableFrom(type) || type.IsAbstract || type.IsInterface) return new Shape();
            if (type.IsDefined(typeof(MessagePackObjectAttribute)) || type.IsDefined(typeof(DataContractAttribute))) return new Shape();
            return new Shape { Kind = ShapeKind.Object, Members = MembersOf(type) };
        }

        private static Shape Holding(ShapeKind kind, Type element) =>
            Shapes.GetOrAdd(element, Of).Kind == ShapeKind.Plain ? new Shape() : new Shape { Kind = kind, Element = element };

        private static bool IsPlain(Type type) =>
            type.IsPrimitive || type.IsEnum || type.IsPointer || type == typeof(string) || type == typeof(object) || type == typeof(decimal)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid)
            || type == typeof(PackedValue) || type == typeof(byte[]) || type.IsGenericTypeDefinition
            || (type.IsValueType && type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true);

        private static Type? Generic(Type type, Type definition) =>
            type.IsGenericType && type.GetGenericTypeDefinition() == definition
                ? type
                : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);

        /// <summary>The members MessagePack's contractless resolver reads: public instance properties and fields,
        /// less those marked to be ignored.</summary>
        private static IReadOnlyList<Member> MembersOf(Type type)
        {
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
            var needed = type.GetConstructor(Type.EmptyTypes) is null && constructor is not null
                ? constructor.GetParameters().Where(p => !p.HasDefaultValue).Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase)
                : [];
            static bool Ignored(MemberInfo m) => m.IsDefined(typeof(IgnoreMemberAttribute)) || m.IsDefined(typeof(IgnoreDataMemberAttribute));
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead && !Ignored(p))
                .Select(p => new Member(p.Name, p.PropertyType, needed.Contains(p.Name) || p.IsDefined(typeof(RequiredMemberAttribute))));
            var fields = type.GetFields(BindingFlags.Public | BindingFlags.Instance)
                .Where(f => !Ignored(f))
                .Select(f => new Member(f.Name, f.FieldType, needed.Contains(f.Name) || f.IsDefined(typeof(RequiredMemberAttribute))));
            return properties.Concat(fields).ToList();
        }
    }
}
