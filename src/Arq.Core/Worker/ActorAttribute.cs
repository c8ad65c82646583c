namespace Arq.Worker;

/// <summary>Names an actor class; without it, the actor's name is the class name.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActorAttribute(string name) : Attribute
{
    /// <summary>The name that prefixes the actor's job functions.</summary>
    public string Name { get; } = name;
}
