using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Arq.PowerShell;

/// <summary>
/// Keeps the module's dependencies (Arq.Core, StackExchange.Redis, MessagePack and theirs) in a load context of
/// their own, so that the module works in a session that already loaded other versions of them: the pattern the
/// PowerShell team recommends for binary modules. The cmdlets (in the default context) reach only Arq.Core, which
/// the default context cannot find and so asks this context for; everything Arq.Core needs then loads here, from
/// the module's Dependencies folder.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private const string Engine = "Arq.Core";
    private static readonly string Folder =
        Path.Combine(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, "Dependencies");
    private static int registered;

    private DependencyLoadContext() : base("Arq dependencies") { }

    public static DependencyLoadContext Instance { get; } = new();

    /// <summary>Registers the resolver as soon as anything in this assembly runs, before a cmdlet needs Arq.Core.</summary>
#pragma warning disable CA2255 // A module initializer is the one place that runs before any type here touches Arq.Core.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0) Default.Resolving += ResolveEngine;
    }

    /// <summary>Takes the resolver away again when the module is removed, as a module should leave the session.</summary>
    internal static void Unregister()
    {
        if (Interlocked.Exchange(ref registered, 0) == 1) Default.Resolving -= ResolveEngine;
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == Engine ? Instance.LoadFromAssemblyName(name) : null;

    /// <summary>Whether the module ships <paramref name="name"/> (so that actors share it rather than bring their own).</summary>
    public static bool Provides(AssemblyName name) => File.Exists(Path.Combine(Folder, name.Name + ".dll"));

    /// <summary>Loads a dependency from the Dependencies folder; anything else (the framework) comes from the default context.</summary>
    protected override Assembly? Load(AssemblyName name)
    {
        var path = Path.Combine(Folder, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
