using System.Reflection;
using Arq.Protocol;
using MessagePack;

namespace Arq.Worker;

/// <summary>
/// Binds a job's arguments to a method's parameters: positional arguments by position, named ones by name (exact,
/// else ignoring case and underscores, so Python's <c>user_id</c> finds C#'s <c>userId</c>), each decoded straight
/// into the parameter's type. A <see cref="CancellationToken"/> parameter gets the job's token and a
/// <see cref="JobContext"/> parameter the job's context; neither takes an argument. <see cref="Match"/> pairs values
/// with parameters; the reflection path then decodes each by its type (<see cref="Bind"/>), code from Arq's source
/// generator by its static type (<see cref="JobArguments.Get{T}"/>), with the same rules and the same errors.
/// </summary>
internal sealed class ArgumentBinder
{
    private readonly string function;
    private readonly ParameterInfo[] parameters;
    private readonly ParameterInfo[] valueParameters;
    private readonly bool[] membersMatched; // by position in parameters: an object type, whose map keys bind to members

    public ArgumentBinder(string function, MethodInfo method)
    {
        this.function = function;
        parameters = method.GetParameters();
        valueParameters = parameters.Where(p => !IsInjected(p.ParameterType)).ToArray();
        membersMatched = parameters.Select(p => MemberMatcher.Applies(p.ParameterType)).ToArray();
    }

    /// <summary>The arguments of every parameter, decoded by the parameters' types.</summary>
    public object?[] Bind(JobContext context)
    {
        var arguments = Match(context);
        var values = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++) values[i] = arguments.GetObject(i);
        return values;
    }

    /// <summary>Pairs the job's values with the parameters, by position then by name; nothing is decoded yet.</summary>
    public JobArguments Match(JobContext context)
    {
        if (context.Args.Count > valueParameters.Length)
            throw ArgumentBindingException.TooManyPositional(function, valueParameters.Length, context.Args.Count);
        var named = MatchNames(context.Kwargs);
        var values = new PackedValue?[parameters.Length];
        var position = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (IsInjected(parameter.ParameterType)) continue;
            if (position < context.Args.Count)
            {
                if (named.ContainsKey(parameter.Name!))
                    throw new ArgumentBindingException($"{function} got the argument '{parameter.Name}' both by position and by name.");
                values[i] = context.Args[position];
                position++;
            }
            else if (named.TryGetValue(parameter.Name!, out var value)) values[i] = value;
            else if (!parameter.HasDefaultValue) throw ArgumentBindingException.Missing(function, parameter.Name!, TypeName(parameter.ParameterType));
        }
        return new JobArguments(this, context, values);
    }

    private Dictionary<string, PackedValue> MatchNames(IReadOnlyDictionary<string, PackedValue> kwargs)
    {
        var matched = new Dictionary<string, PackedValue>(kwargs.Count, StringComparer.Ordinal);
        foreach (var (name, value) in kwargs)
        {
            var parameter = valueParameters.FirstOrDefault(p => p.Name == name)
                ?? valueParameters.FirstOrDefault(p => Loose(p.Name!) == Loose(name))
                ?? throw ArgumentBindingException.NoSuchParameter(function, name, valueParameters.Select(p => p.Name!));
            if (!matched.TryAdd(parameter.Name!, value))
                throw new ArgumentBindingException($"{function} got the argument '{parameter.Name}' twice by name.");
        }
        return matched;
    }

    /// <summary>The value of parameter <paramref name="index"/>: its argument decoded, its default, or what is injected.</summary>
    internal T Get<T>(JobContext context, PackedValue? value, int index) => value is { } given
        ? Decode(given, index, v => v.Deserialize<T>())
        : typeof(T) == typeof(CancellationToken) || typeof(T) == typeof(JobContext) ? (T)GetObject(context, null, index)!
        : parameters[index].DefaultValue is T fallback ? fallback : default!; // default(struct) reads as null

    /// <inheritdoc cref="Get{T}"/>
    internal object? GetObject(JobContext context, PackedValue? value, int index)
    {
        var parameter = parameters[index];
        if (parameter.ParameterType == typeof(CancellationToken)) return context.CancellationToken;
        if (parameter.ParameterType == typeof(JobContext)) return context;
        return value is { } given ? Decode(given, index, v => v.Deserialize(parameter.ParameterType)) : parameter.DefaultValue;
    }

    private T Decode<T>(PackedValue value, int index, Func<PackedValue, T> deserialize)
    {
        var parameter = parameters[index];
        try
        {
            if (membersMatched[index]) value = MemberMatcher.Match(value, parameter.ParameterType, function, parameter.Name!);
            return deserialize(value);
        }
        catch (MessagePackSerializationException e) when (InvalidData(e) is { } reason)
        {
            throw ArgumentBindingException.NotValid(function, $"'{parameter.Name}'", reason, e);
        }
        catch (MessagePackSerializationException e)
        {
            throw new ArgumentBindingException(
                $"{function}: the argument '{parameter.Name}' expects {TypeName(parameter.ParameterType)}, but the job has {Describe(value)}.", e);
        }
    }

    /// <summary>Why the value is invalid data, when it is (rather than data of another type).</summary>
    private static string? InvalidData(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is ArqDataException or InsufficientExecutionStackException) return ArqMessagePack.Reason(inner);
        return null;
    }

    private static string Describe(PackedValue value)
    {
        var text = value.ToString();
        return $"{value.Type} {(text.Length > 60 ? text[..57] + "..." : text)}";
    }

    /// <summary>A name for matching that ignores case and underscores.</summary>
    internal static string Loose(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    internal static bool IsInjected(Type type) => type == typeof(CancellationToken) || type == typeof(JobContext);

    internal static string TypeName(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.Name;
}
