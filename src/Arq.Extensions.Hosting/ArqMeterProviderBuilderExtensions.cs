using Arq.Diagnostics;

namespace OpenTelemetry.Metrics;

/// <summary>Arq's metrics for OpenTelemetry.</summary>
public static class ArqMeterProviderBuilderExtensions
{
    /// <summary>Records Arq's metrics: jobs enqueued, started, completed, failed, retried, timed out and aborted, in
    /// flight, and how long they ran and waited (<c>arq.*</c>, tagged with queue and function).</summary>
    public static MeterProviderBuilder AddArqInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(ArqTelemetry.Name);
    }
}
