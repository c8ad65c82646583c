using System.Runtime.InteropServices;

namespace Arq.Supervision;

/// <summary>
/// Turns SIGTERM and SIGINT (Ctrl+C) into a stop request instead of the end of the process, where the platform
/// delivers them (on Windows, SIGINT and SIGTERM map to Ctrl+C and close or shutdown events).
/// </summary>
internal static class StopSignals
{
    /// <summary>Calls <paramref name="onSignal"/> on each signal until the returned handle is disposed.</summary>
    public static IDisposable Register(Action onSignal)
    {
        var registrations = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    context.Cancel = true; // stop gracefully; whether to kill is the caller's decision
                    onSignal();
                }));
            }
            catch (PlatformNotSupportedException)
            {
                // This platform cannot deliver the signal; the caller's other stop paths still work.
            }
        }
        return new Registrations(registrations);
    }

    private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }
}
