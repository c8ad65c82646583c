namespace Arq.PowerShell;

/// <summary>
/// Makes a function or class method of an actors script a worker hook rather than a job function:
/// <c>Startup</c> and <c>Shutdown</c> (no arguments; run once, in one runspace; a failing start-up hook stops the
/// worker), <c>BeforeJob</c> (the job context), <c>AfterJob</c> (the context and the try's completion) and
/// <c>TriesExhausted</c> (the context and the error). The worker reads it from the script's text.
/// </summary>
[AttributeUsage(AttributeTargets.All, AllowMultiple = false)]
public sealed class ArqHookAttribute(string when) : Attribute
{
    /// <summary>The hook points an actors script can use.</summary>
    public static readonly IReadOnlyList<string> Points = ["Startup", "Shutdown", "BeforeJob", "AfterJob", "TriesExhausted"];

    /// <summary>When the hook runs: one of <see cref="Points"/>.</summary>
    public string When { get; } = when;
}
