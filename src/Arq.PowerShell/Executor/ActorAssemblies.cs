using System.Reflection;
using System.Runtime.Loader;
using Arq.Worker;

using Arq.Supervision;

namespace Arq.PowerShell.Executor;

/// <summary>
/// Loads .NET actor assemblies into the executor. Each gets a load context of its own for its own dependencies,
/// but shares the module's Arq.Core (and Arq.Core's dependencies), so that its [JobFunction] attributes and
/// JobContext parameters are the very types the worker knows.
/// </summary>
internal static class ActorAssemblies
{
    public static void Register(FunctionRegistry functions, string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new ActorLoadException($"{fullPath}: no such assembly.");
        Assembly assembly;
        try
        {
            assembly = new ActorLoadContext(fullPath).LoadFromAssemblyPath(fullPath);
        }
        catch (BadImageFormatException e)
        {
            throw new ActorLoadException($"{fullPath}: not a .NET assembly: {e.Message}", e);
        }
        CheckArqCoreVersion(assembly, fullPath);

        var actors = assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetMethods().Any(m => m.IsDefined(typeof(JobFunctionAttribute))))
            .ToList();
        if (actors.Count == 0) throw new ActorLoadException($"{fullPath}: has no public class with a [JobFunction] method.");
        foreach (var type in actors)
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
                throw new ActorLoadException($"{fullPath}: the actor {type.FullName} needs a public parameterless constructor, so that the worker can create it.");
            functions.AddActor(type, () => Activator.CreateInstance(type)!);
        }
    }

    private static void CheckArqCoreVersion(Assembly assembly, string path)
    {
        var ours = typeof(JobFunctionAttribute).Assembly.GetName().Version!;
        var theirs = assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == "Arq.Core")?.Version
            ?? throw new ActorLoadException($"{path}: does not reference Arq.Core, so it cannot declare job functions.");
        // Before 1.0 a minor version may break; after it, only a major one.
        var compatible = theirs.Major == ours.Major && (ours.Major > 0 || theirs.Minor == ours.Minor) && theirs <= ours;
        if (!compatible)
            throw new ActorLoadException($"{path}: was built against Arq.Core {theirs}, but this worker runs Arq.Core {ours}. Rebuild it against Arq.Core {ours.ToString(2)}.");
    }

    /// <summary>The actor's own dependencies from its folder (by its deps.json); the module's from the module.</summary>
    private sealed class ActorLoadContext(string path) : AssemblyLoadContext($"Arq actors: {Path.GetFileName(path)}")
    {
        private readonly AssemblyDependencyResolver resolver = new(path);

        protected override Assembly? Load(AssemblyName name)
        {
            if (DependencyLoadContext.Provides(name)) return DependencyLoadContext.Instance.LoadFromAssemblyName(name);
            return resolver.ResolveAssemblyToPath(name) is { } found ? LoadFromAssemblyPath(found) : null;
        }
    }
}
