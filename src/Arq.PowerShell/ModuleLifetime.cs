using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>Sets up the dependency load context on import and closes the session's Redis connections on removal.</summary>
public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <inheritdoc/>
    public void OnImport() => DependencyLoadContext.Register();

    /// <inheritdoc/>
    public void OnRemove(PSModuleInfo psModuleInfo) => ClientCache.Clear();
}
