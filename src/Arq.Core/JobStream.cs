namespace Arq;

/// <summary>The streams a job writes besides its result, as PowerShell names them.</summary>
public enum JobStream
{
    /// <summary>A non-terminating error: the job went on.</summary>
    Error,

    /// <summary>A warning.</summary>
    Warning,

    /// <summary>Detail for diagnosis.</summary>
    Verbose,

    /// <summary>Detail for debugging.</summary>
    Debug,

    /// <summary>Information, with tags.</summary>
    Information,
}
