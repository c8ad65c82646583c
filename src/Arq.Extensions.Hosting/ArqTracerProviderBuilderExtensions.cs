using Arq.Diagnostics;

namespace OpenTelemetry.Trace;

/// <summary>Arq's traces for OpenTelemetry.</summary>
public static class ArqTracerProviderBuilderExtensions
{
    /// <summary>Records Arq's spans: an enqueue's (producer) and each job run's (consumer, the enqueue's child even
    /// across processes and with Python arq in between), tagged with queue, function and job id.</summary>
    public static TracerProviderBuilder AddArqInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(ArqTelemetry.Name);
    }
}
