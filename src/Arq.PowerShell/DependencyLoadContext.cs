using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Arq.PowerShell;

/// <summary>
/// Keeps the module's dependencies (Arq.Core, StackExchange.Redis, MessagePack and theirs) in a load context of
/// their own, so that the module works in a session that already loaded other versions of them: the pattern the
/// PowerShell team recommends for binary modules. What pwsh and its runtime ship themselves is shared instead. The cmdlets (in the default context) reach only Arq.Core, which
/// the default context cannot find and so asks this context for; everything Arq.Core needs then loads here, from
/// the module's Dependencies folder. Start-ArqDashboard reaches Arq.AspNetCore the same way, and the ASP.NET Core
/// assemblies it needs come from the shared framework that .NET installs (<see cref="AspNetCoreRuntime"/>).
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    /// <summary>The module's assemblies that the cmdlets reference.</summary>
    private static readonly HashSet<string> Referenced = ["Arq.Core", "Arq.AspNetCore"];
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
        name.Name is { } referenced && Referenced.Contains(referenced) ? Instance.LoadFromAssemblyName(name) : null;

    /// <summary>Whether the module ships <paramref name="name"/> (so that actors share it rather than bring their own).</summary>
    public static bool Provides(AssemblyName name) => File.Exists(Path.Combine(Folder, name.Name + ".dll"));

    /// <summary>Loads a dependency from the Dependencies folder, else from ASP.NET Core's shared framework, unless the
    /// host has it (see <see cref="HostHas"/>); anything else (the runtime) comes from the default context.</summary>
    protected override Assembly? Load(AssemblyName name)
    {
        var path = new[] { Folder, AspNetCoreRuntime.Folder }.OfType<string>()
            .Select(folder => Path.Combine(folder, name.Name + ".dll")).FirstOrDefault(File.Exists);
        return path is not null && !HostHas(name) ? LoadFromAssemblyPath(path) : null;
    }

    /// <summary>
    /// Whether the runtime or pwsh itself ships <paramref name="name"/> (it is among the trusted platform assemblies)
    /// at the version Arq was built against or a newer one. Such an assembly is shared with the host rather than
    /// loaded twice: System.Diagnostics.DiagnosticSource above all, whose Activity.Current, meters and listeners
    /// must be the session's, so that a span started in the session is the parent of the jobs it submits. Modules
    /// that load their own copies are not trusted platform assemblies, so Arq stays apart from them.
    /// </summary>
    private static bool HostHas(AssemblyName name)
    {
        var file = name.Name + ".dll";
        var platform = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "")
            .Split(Path.PathSeparator)
            .FirstOrDefault(path => string.Equals(Path.GetFileName(path), file, StringComparison.OrdinalIgnoreCase));
        if (platform is null) return false;
        try
        {
            return AssemblyName.GetAssemblyName(platform).Version >= name.Version;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException)
        {
            return false;
        }
    }
}
