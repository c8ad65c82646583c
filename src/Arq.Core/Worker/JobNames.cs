using System.Reflection;

namespace Arq.Worker;

/// <summary>
/// How job functions are named, for C# and PowerShell actors alike: a method of an actor is
/// <c>Actor.Method</c> (either renamed by its attribute), a plain function is its own name, and a cron job is
/// <c>cron:</c> and its name, as arq names them.
/// </summary>
internal static class JobNames
{
    /// <summary>What starts the name of every cron job's function.</summary>
    public const string CronPrefix = "cron:";

    /// <summary>The name of <paramref name="member"/> of <paramref name="actor"/>; of a plain function when
    /// <paramref name="actor"/> is null.</summary>
    public static string Of(string? actor, string member) => actor is null ? member : $"{actor}.{member}";

    /// <summary>The function name of the cron job called <paramref name="name"/>.</summary>
    public static string Cron(string name) => CronPrefix + name;

    public static bool IsCron(string function) => function.StartsWith(CronPrefix, StringComparison.Ordinal);

    /// <summary>The name jobs call a C# actor by: its <see cref="ActorAttribute"/> name, else its class name.</summary>
    public static string Actor(Type actorType) => actorType.GetCustomAttribute<ActorAttribute>()?.Name ?? actorType.Name;

    /// <summary>The name of a C# actor's <see cref="JobFunctionAttribute"/> method.</summary>
    public static string Of(Type actorType, MethodInfo method, JobFunctionAttribute function) =>
        Of(Actor(actorType), function.Name ?? method.Name);
}
