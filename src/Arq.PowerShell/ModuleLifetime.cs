using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>Sets up the dependency load context and the script attributes' short names on import; on removal,
/// undoes both and closes the session's Redis connections.</summary>
public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <inheritdoc/>
    public void OnImport()
    {
        DependencyLoadContext.Register();
        ScriptTypeAccelerators.Add(); // a method of its own: it names Arq.Core types, loadable only after Register
    }

    /// <inheritdoc/>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        ClientCache.Clear();
        ScriptTypeAccelerators.Remove();
        DependencyLoadContext.Unregister();
    }
}
